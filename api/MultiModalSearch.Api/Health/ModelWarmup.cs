using Microsoft.Extensions.Diagnostics.HealthChecks;
using MultiModalSearch.Abstractions.Access;
using MultiModalSearch.Core.Retrieval;
using MultiModalSearch.Models.Resolution;

namespace MultiModalSearch.Api.Health;

/// <summary>
/// Loads and warms, in the background after start, the model of every collection (or the default model when there is
/// none yet), so that no user pays for loading; /readyz says ready once that is done.
/// </summary>
internal sealed partial class ModelWarmup(IAccessStore access, ModelLocator locator, CollectionEncoders encoders, ILogger<ModelWarmup> logger)
    : BackgroundService, IHealthCheck
{
    private volatile string state = "loading models";
    private volatile bool ready;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(ready ? HealthCheckResult.Healthy(state) : HealthCheckResult.Unhealthy(state));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            var models = (await access.ListAsync(stoppingToken)).Select(c => c.Collection.ModelId).Distinct(StringComparer.Ordinal).ToList();
            if (models.Count == 0)
            {
                models.Add((await locator.LocateAsync(null, cancellationToken: stoppingToken)).Id);
            }

            foreach (var model in models)
            {
                var encoder = await encoders.ForModelAsync(model, stoppingToken);
                encoder.WarmUp();
                LogWarm(logger, model);
            }

            state = $"models loaded and warmed: {string.Join(", ", models)}";
            ready = true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            state = $"a model could not be loaded: {e.Message}";
            LogFailed(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "model {Model} loaded and warmed")]
    private static partial void LogWarm(ILogger logger, string model);

    [LoggerMessage(Level = LogLevel.Error, Message = "not ready: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
