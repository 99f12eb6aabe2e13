using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using MultiModalSearch.Api;

namespace MultiModalSearch.Tests.Api;

/// <summary>The real query service (Kestrel on a free loopback port) over a real database, talked to over real HTTP.</summary>
public sealed class ApiServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private ApiServer(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>
    /// Starts the service. <paramref name="configureServices"/> adds registrations (a scripted retriever);
    /// <paramref name="mapExtra"/> adds endpoints that only a test hosts (the browser tests' stand-in for a service the page talks to).
    /// </summary>
    public static async Task<ApiServer> StartAsync(string databaseUrl, IReadOnlyDictionary<string, string?>? flags = null,
        Action<IServiceCollection>? configureServices = null, Action<WebApplication>? mapExtra = null)
    {
        // Never reach for a real Hub from a test: the default model falls back to the bundled one.
        Environment.SetEnvironmentVariable("HF_HUB_OFFLINE", "1");
        Environment.SetEnvironmentVariable("HF_ENDPOINT", "http://127.0.0.1:9");
        var all = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Database:Url"] = databaseUrl,
            ["Models:Device"] = "cpu",
            // Tests send hundreds of requests from one address; the limiter has its own test.
            ["Service:RateLimit:PermitsPerSecond"] = "100000",
            ["Service:RateLimit:Burst"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in flags ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var app = await ApiApplication.BuildAsync(all, configureServices: configureServices);
        mapExtra?.Invoke(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ApiServer(app, new Uri(address));
    }

    /// <summary>A client that sends this API key.</summary>
    public HttpClient ClientWithKey(string key)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Waits until /readyz says ready (models loaded and warmed).</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var response = await Client.GetAsync("/readyz");
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the service did not become ready: " + await response.Content.ReadAsStringAsync());
            }

            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
