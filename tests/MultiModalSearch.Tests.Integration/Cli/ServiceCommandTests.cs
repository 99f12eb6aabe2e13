using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MultiModalSearch.Abstractions.Access;
using MultiModalSearch.Core.Access;
using MultiModalSearch.Storage.Postgres;
using MultiModalSearch.Tests.Storage;
using MultiModalSearch.Tests.Support;

namespace MultiModalSearch.Tests.Cli;

/// <summary>The service's commands through the real tool: `collection set`, `keys create/revoke`, and `serve` stopping gracefully.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ServiceCommandTests(PostgresFixture fixture)
{
    [Fact]
    public async Task VisibilityAndKeysAreSetByTheirCommands()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var storage = await PostgresDatabase.ConnectAsync(url);
        await storage.Collections.OpenAsync("albums", "emoji-clip", 64);

        var setPrivate = await CliProcess.RunAsync(["collection", "set", "albums", "--private", "--db", url]);
        var created = await CliProcess.RunAsync(["keys", "create", "--collection", "albums", "--write", "--db", url, "--json"]);
        var key = JsonDocument.Parse(created.Stdout).RootElement;
        var keys = new ApiKeys(storage.Access);
        var verified = await keys.VerifyAsync(key.GetProperty("key").GetString()!);
        var revoked = await CliProcess.RunAsync(["keys", "revoke", key.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", url]);
        var again = await CliProcess.RunAsync(["keys", "revoke", key.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", url]);
        var missing = await CliProcess.RunAsync(["collection", "set", "nope", "--public", "--db", url]);
        var both = await CliProcess.RunAsync(["keys", "create", "--collection", "albums", "--read", "--write", "--db", url]);

        Assert.True(setPrivate.ExitCode == 0, setPrivate.Stderr);
        Assert.Equal(CollectionVisibility.Private, (await storage.Access.FindAsync("albums"))!.Value.Visibility);
        Assert.True(created.ExitCode == 0, created.Stderr);
        Assert.Equal(ApiKeyAccess.Write, verified!.Access);
        Assert.Equal("albums", verified.CollectionName);
        Assert.True(revoked.ExitCode == 0, revoked.Stderr);
        Assert.Null(await keys.VerifyAsync(key.GetProperty("key").GetString()!));
        Assert.Equal(2, again.ExitCode); // nothing was done: a usage error
        Assert.Contains("not a live API key", again.Stderr);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no collection 'nope'", missing.Stderr);
        Assert.NotEqual(0, both.ExitCode);
        Assert.Contains("exactly one of --read or --write", both.Stderr);
    }

    [Fact]
    public async Task ServeFinishesTheRequestInFlightWhenToldToStop()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using (var storage = await PostgresDatabase.ConnectAsync(url))
        {
            // A collection of the bundled model: the first text search waits for that model to load, seconds of work
            // that are still in flight when the service is told to stop.
            var collection = await storage.Collections.OpenAsync("emoji", "emoji-clip", 64);
            await StorageTestData.IndexAsync(storage, collection, [("/x/cat.png", "cat", StorageTestData.UnitVectors(1, 64, seed: 1)[0])]);
        }

        var port = FreePort();
        using var serve = Process.Start(CliProcess.StartInfo(["serve", "--urls", $"http://127.0.0.1:{port}", "--db", url]))!;
        var stderr = serve.StandardError.ReadToEndAsync();
        var stdout = serve.StandardOutput.ReadToEndAsync();
        try
        {
            await WaitForHealthAsync(port);
            using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
            var search = client.PostAsync($"http://127.0.0.1:{port}/api/search",
                new StringContent("{\"collection\":\"emoji\",\"text\":\"a cat\",\"k\":1}", Encoding.UTF8, "application/json"));
            await Task.Delay(300);
            Assert.False(search.IsCompleted, "the first search should still be waiting for the model");
            Process.Start("kill", ["-TERM", serve.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

            using var response = await search;
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            Assert.Contains("/x/cat.png", body, StringComparison.Ordinal);
            await serve.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(serve.ExitCode == 0, await stderr);
        }
        finally
        {
            if (!serve.HasExited)
            {
                serve.Kill(entireProcessTree: true);
            }
        }

        Assert.Contains("Application is shutting down", await stdout + await stderr);
    }

    private static async Task WaitForHealthAsync(int port)
    {
        using var client = new HttpClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            try
            {
                if ((await client.GetAsync($"http://127.0.0.1:{port}/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
