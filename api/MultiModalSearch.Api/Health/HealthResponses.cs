using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MultiModalSearch.Api.Health;

/// <summary>Health as JSON: the overall status and each check's status and description.</summary>
internal static class HealthResponses
{
    public static Task WriteAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
}
