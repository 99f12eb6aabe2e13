using MultiModalSearch.Storage.Postgres;
using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Support;

namespace MultiModalSearch.Tests.Cli;

/// <summary>
/// The embedded PostgreSQL is started by the first command that needs it and stopped when the last one using it ends:
/// every command leaves no server behind, and no command stops a server another process still uses.
/// </summary>
public sealed class EmbeddedDatabaseLifetimeTests : IDisposable
{
    // Under /tmp itself: as root the server runs as 'postgres', which must reach the data directory.
    private readonly string root = Path.Combine(Path.GetTempPath(), "mms-lifetime-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly TemporaryDirectory photos = new();

    public EmbeddedDatabaseLifetimeTests()
    {
        Directory.CreateDirectory(root);
        for (var i = 0; i < 4; i++)
        {
            File.WriteAllBytes(Path.Combine(photos.Path, $"p{i}.png"), IndexingJobTestImages.Png(100 + i));
        }
    }

    private string DataDirectory => Path.Combine(root, "pg");

    private bool ServerRunning => File.Exists(Path.Combine(DataDirectory, "postmaster.pid"));

    [Fact]
    public async Task EachCommandThatUsesTheDatabaseStopsTheServerItStarted()
    {
        string[][] commands =
        [
            ["index", photos.Path, "--collection", "c", "--model", ClipTinyFixture.Directory],
            ["status", "--collection", "c"],
            ["search", "--collection", "c", "--text", "a red square"],
            ["index", photos.Path, "--collection", "c", "--model", ClipTinyFixture.Directory, "--prune"],
            ["demo", "--samples", photos.Path, "--model", ClipTinyFixture.Directory],
        ];

        foreach (var command in commands)
        {
            var (code, _, stderr) = await RunAsync(command);

            Assert.True(code == 0, $"{command[0]}: {stderr}");
            Assert.False(ServerRunning, $"'mms {command[0]}' left the embedded PostgreSQL running");
        }
    }

    [Fact]
    public async Task ACommandEndingWhileAnotherProcessUsesTheServerLeavesItRunningForThatProcess()
    {
        var first = await RunAsync(["index", photos.Path, "--collection", "c", "--model", ClipTinyFixture.Directory]);
        Assert.True(first.ExitCode == 0, first.Stderr);

        // This test process is the other user: a service, a second worker.
        var other = await PostgresDatabase.OpenAsync(new PostgresOptions { DataDirectory = DataDirectory });
        await using (other)
        {
            var status = await RunAsync(["status", "--collection", "c"]);

            Assert.True(status.ExitCode == 0, status.Stderr);
            Assert.True(ServerRunning, "a command stopped the server while another process was using it");
            Assert.NotNull(await other.Collections.FindAsync("c"));
        }

        Assert.False(ServerRunning, "the last user did not stop the server");
    }

    public void Dispose()
    {
        photos.Dispose();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A server that was left running keeps its files; the assertion has said so already.
        }
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] arguments) =>
        CliProcess.RunAsync(arguments, new Dictionary<string, string> { ["MMS_DATA_DIR"] = DataDirectory }, TimeSpan.FromMinutes(3));
}
