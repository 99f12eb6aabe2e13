using Microsoft.Extensions.Diagnostics.HealthChecks;
using MultiModalSearch.Abstractions.Access;
using MultiModalSearch.Core.Retrieval;
using MultiModalSearch.Models.Resolution;

namespace MultiModalSearch.Api.Health;

/// <summary>
/// Loads and warms, in the background after start, the default model (the configured one, else the Hub's default,
/// else the bundled offline model) and then the model of every collection, so that no user pays for loading. /readyz
/// says ready once the default model is warm; a collection whose model cannot be loaded is logged (its searches
/// answer 503 with the reason) but does not hold the others back.
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
            var defaultModel = (await locator.LocateAsync(null, cancellationToken: stoppingToken)).Id;
            await WarmAsync(defaultModel, stoppingToken);
            state = $"default model {defaultModel} loaded and warmed";
            ready = true;
            var others = (await access.ListAsync(stoppingToken)).Select(c => c.Collection.ModelId).Distinct(StringComparer.Ordinal).Where(m => m != defaultModel);
            foreach (var model in others)
            {
                try
                {
                    await WarmAsync(model, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogCollectionModelFailed(logger, model, e.Message);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            state = $"the default model could not be loaded: {e.Message}";
            LogFailed(logger, e.Message);
        }
    }

    private async Task WarmAsync(string model, CancellationToken cancellationToken)
    {
        var encoder = await encoders.ForModelAsync(model, cancellationToken);
        encoder.WarmUp();
        LogWarm(logger, model);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "the model {Model} of a collection cannot be loaded; its searches will fail until it can: {Reason}")]
    private static partial void LogCollectionModelFailed(ILogger logger, string model, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "model {Model} loaded and warmed")]
    private static partial void LogWarm(ILogger logger, string model);

    [LoggerMessage(Level = LogLevel.Error, Message = "not ready: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
