using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.RateLimiting;
using MultiModalSearch.Api.Endpoints;
using MultiModalSearch.Api.Health;
using MultiModalSearch.Api.Observability;
using MultiModalSearch.Api.Problems;
using MultiModalSearch.Api.Security;
using MultiModalSearch.Api.Web;
using MultiModalSearch.Core.Retrieval;
using MultiModalSearch.Hosting;
using MultiModalSearch.Hosting.Documents;
using MultiModalSearch.Models.Compute;
using Scalar.AspNetCore;

namespace MultiModalSearch.Api;

/// <summary>
/// The service's composition: configuration (appsettings.json beside the dll, then MMS_* variables, then the host's
/// flags), the library's services, the framework's cross-cutting pieces (problem details, authentication, rate
/// limiting, request timeouts, health checks, OpenAPI) and the endpoint groups. Both entry points use it: this
/// project's Program.cs and `mms serve`.
/// </summary>
public static class ApiApplication
{
    /// <summary>Builds the service and opens its database (the embedded cluster is started if that is the one configured).</summary>
    /// <param name="configureServices">Registrations on top of the service's own (a host or test adding, say, its <c>IDocumentRetriever</c>).</param>
    public static async Task<WebApplication> BuildAsync(IReadOnlyDictionary<string, string?> flags, Action<IServiceCollection>? configureServices = null,
        CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(HostConfiguration.Build(flags, Path.Combine(AppContext.BaseDirectory, "appsettings.json")));
        var options = builder.Configuration.GetSection("Service").Get<ServiceOptions>() ?? new ServiceOptions();
        AddServices(builder, options);
        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        await app.Services.GetRequiredService<DatabaseLifetime>().OpenAsync(cancellationToken);
        // Document retrieval's text models, when configured, load now: a wrong name stops the service at its start
        // with one line, rather than failing every document request later.
        app.Services.GetRequiredService<DocumentTextModels>();
        UsePipeline(app, options);
        return app;
    }

    /// <summary>Serves until <paramref name="cancellationToken"/> fires or the process is told to stop, then lets requests in flight finish.</summary>
    public static async Task RunAsync(IReadOnlyDictionary<string, string?> flags, CancellationToken cancellationToken = default)
    {
        await using var app = await BuildAsync(flags, cancellationToken: cancellationToken);
        await app.StartAsync(cancellationToken);
        await app.WaitForShutdownAsync(cancellationToken);
        await app.StopAsync(CancellationToken.None);
    }

    private static void AddServices(WebApplicationBuilder builder, ServiceOptions options)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddMultiModalSearch(configuration);
        // The request scope carries the request id; trace and span ids would only lengthen every line.
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.None);
        services.AddSingleton(options);
        services.Configure<ServiceOptions>(configuration.GetSection("Service"));
        // Queries in the service run in the faster precision of bulk work (bf16 on CPUs with bf16 units) unless told otherwise.
        services.AddSingleton(new EncoderOptions
        {
            Device = configuration[ConfigurationKeys.Device] ?? "auto",
            DType = configuration[ConfigurationKeys.QueryDType] ?? "auto",
            Workload = Workload.Bulk,
        });
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxUploadBytes;
        });

        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            json.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c => c.ProblemDetails.Extensions["requestId"] = c.HttpContext.TraceIdentifier);
        services.AddExceptionHandler<ApiExceptionHandler>();

        services.AddAuthentication(ApiKeyAuthentication.SchemeName).AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorization(o => o.FallbackPolicy = ApiKeyPolicy.Build());
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => RateLimitPartition.GetTokenBucketLimiter(PartitionOf(http), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = options.RateLimit.Burst,
                TokensPerPeriod = options.RateLimit.PermitsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
            }));
            o.OnRejected = async (context, _) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await ProblemResponses.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests", $"slow down: try again in {retry} s");
            };
        });
        services.AddRequestTimeouts(o => o.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = TimeSpan.FromSeconds(options.RequestTimeoutSeconds),
            TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
            WriteTimeoutResponse = http => ProblemResponses.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, "Request timeout",
                $"the request took longer than {options.RequestTimeoutSeconds} s; try again later"),
        });

        services.AddSingleton<ModelWarmup>();
        services.AddHostedService(s => s.GetRequiredService<ModelWarmup>());
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration("models", s => s.GetRequiredService<ModelWarmup>(), null, ["ready"]));
        services.AddOpenApi();
    }

    private static void UsePipeline(WebApplication app, ServiceOptions options)
    {
        app.UseMiddleware<RequestLogging>();
        app.UseExceptionHandler();
        // Empty error responses of the framework (404 without a route, 405, 415) get a problem-details body too.
        app.UseStatusCodePages();
        app.UseWebPage();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseRequestTimeouts();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponses.WriteAsync }).AllowAnonymous().DisableRateLimiting();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthResponses.WriteAsync }).AllowAnonymous().DisableRateLimiting();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference().AllowAnonymous();
        app.MapCollectionEndpoints();
        app.MapSearchEndpoints(options);
        app.MapAssetEndpoints(options);
        app.MapAskEndpoints(options);
        app.MapChatCompletionEndpoints(options);
        app.MapDocumentEndpoints();
    }

    /// <summary>Per API key (by a hash of the header, checked or not: a flood of bad keys is limited too), else per client address.</summary>
    private static string PartitionOf(HttpContext http)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        return authorization.Length > 0
            ? "key:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(authorization)), 0, 8)
            : "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }
}
