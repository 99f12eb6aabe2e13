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
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("not a live API key", again.Stderr);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no collection 'nope'", missing.Stderr);
        Assert.NotEqual(0, both.ExitCode);
        Assert.Contains("exactly one of --read or --write", both.Stderr);
    }

    [Fact]
    public async Task ServeFinishesTheRequestInFlightWhenToldToStop()
    {
        var url = await fixture.CreateDatabaseAsync();
        var port = FreePort();
        using var serve = Process.Start(CliProcess.StartInfo(["serve", "--urls", $"http://127.0.0.1:{port}", "--db", url]))!;
        var stderr = serve.StandardError.ReadToEndAsync();
        var stdout = serve.StandardOutput.ReadToEndAsync();
        try
        {
            await WaitForHealthAsync(port);

            // A request whose body is still arriving when SIGTERM comes: it must still be answered, then the process exits.
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port);
            var stream = tcp.GetStream();
            var body = Encoding.ASCII.GetBytes("{\"collection\":\"none\",\"text\":\"a slow request\"}");
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"));
            await stream.WriteAsync(body.AsMemory(0, 10));
            await Task.Delay(500);
            Process.Start("kill", ["-TERM", serve.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            await Task.Delay(1000);
            await stream.WriteAsync(body.AsMemory(10));
            using var reader = new StreamReader(stream, Encoding.ASCII);
            var status = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal("HTTP/1.1 404 Not Found", status);
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
