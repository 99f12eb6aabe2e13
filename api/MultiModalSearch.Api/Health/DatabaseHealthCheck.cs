using Microsoft.Extensions.Diagnostics.HealthChecks;
using MultiModalSearch.Hosting;

namespace MultiModalSearch.Api.Health;

/// <summary>Ready only while the primary (and the read replica, when configured) answer.</summary>
internal sealed class DatabaseHealthCheck(DatabaseLifetime database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await database.Current.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy(database.Current.ReadDescription is { } replica ? $"primary and read replica ({replica})" : "primary");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("the database does not answer");
        }
    }
}
