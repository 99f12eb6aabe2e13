using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MultiModalSearch.Storage.Postgres.Embedded;
using MultiModalSearch.Testing;
using Npgsql;

namespace MultiModalSearch.Tests.Replication;

/// <summary>
/// A primary and a streaming replica of it on loopback TCP, made the way an operator makes one: initdb, a replication
/// rule in pg_hba.conf, pg_basebackup -R from the running primary, start. Run as the postgres user when the tests run
/// as root. Both are stopped and deleted on dispose.
/// </summary>
internal sealed class StreamingReplica : IAsyncDisposable
{
    private const string Role = "mms";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly TemporaryDirectory root = new();
    private readonly ProcessRunner tools = new(Environment.IsPrivilegedProcess ? "postgres" : null);
    private readonly string bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
        .Where(d => File.Exists(Path.Combine(d, "pg_basebackup"))).OrderDescending(StringComparer.Ordinal).First();

    private string PrimaryDirectory => Path.Combine(root.Path, "primary");

    private string ReplicaDirectory => Path.Combine(root.Path, "replica");

    public int PrimaryPort { get; } = FreePort();

    public int ReplicaPort { get; } = FreePort();

    public string PrimaryUrl => Url(PrimaryPort);

    public string ReplicaUrl => Url(ReplicaPort);

    public static async Task<StreamingReplica> StartAsync()
    {
        var pair = new StreamingReplica();
        await pair.StartCoreAsync();
        return pair;
    }

    /// <summary>Stops applying the primary's WAL (it keeps arriving): the replica lags from now on.</summary>
    public Task PauseReplayAsync() => ExecuteAsync(ReplicaUrl, "SELECT pg_wal_replay_pause()");

    public Task ResumeReplayAsync() => ExecuteAsync(ReplicaUrl, "SELECT pg_wal_replay_resume()");

    /// <summary>Waits until the replica has applied everything the primary has written so far.</summary>
    public async Task CatchUpAsync()
    {
        var target = await ScalarAsync<string>(PrimaryUrl, "SELECT pg_current_wal_lsn()::text");
        var deadline = DateTime.UtcNow + Timeout;
        while (!await ScalarAsync<bool>(ReplicaUrl, $"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the replica did not reach {target}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        foreach (var directory in new[] { ReplicaDirectory, PrimaryDirectory })
        {
            if (File.Exists(Path.Combine(directory, "postmaster.pid")))
            {
                await tools.RunAsync(Path.Combine(bin, "pg_ctl"), ["stop", "-D", directory, "-m", "immediate", "-w"], Timeout);
            }
        }

        root.Dispose();
    }

    private async Task StartCoreAsync()
    {
        if (Environment.IsPrivilegedProcess)
        {
            await Run("/bin/chown", ["postgres:", root.Path], asRoot: true);
        }

        await Run(Path.Combine(bin, "initdb"), ["-D", PrimaryDirectory, "-U", Role, "-A", "trust", "-E", "UTF8", "--locale=C"]);
        await File.WriteAllTextAsync(Path.Combine(PrimaryDirectory, "pg_hba.conf"),
            $"host all {Role} 127.0.0.1/32 trust\nhost replication {Role} 127.0.0.1/32 trust\n");
        await File.AppendAllTextAsync(Path.Combine(PrimaryDirectory, "postgresql.conf"),
            $"\nlisten_addresses = '127.0.0.1'\nport = {PrimaryPort}\nunix_socket_directories = ''\nwal_level = replica\nmax_wal_senders = 4\n");
        await Run(Path.Combine(bin, "pg_ctl"), ["start", "-D", PrimaryDirectory, "-w", "-l", Path.Combine(root.Path, "primary.log")]);
        await ExecuteAsync(Url(PrimaryPort, "postgres"), "CREATE DATABASE mms");
        await ExecuteAsync(PrimaryUrl, "CREATE EXTENSION vector");

        // -R writes standby.signal and primary_conninfo: the copy starts as a streaming replica of the primary.
        await Run(Path.Combine(bin, "pg_basebackup"), ["-h", "127.0.0.1", "-p", PrimaryPort.ToString(CultureInfo.InvariantCulture), "-U", Role, "-D", ReplicaDirectory, "-R", "-X", "stream"]);
        await File.AppendAllTextAsync(Path.Combine(ReplicaDirectory, "postgresql.auto.conf"), $"\nport = {ReplicaPort}\nhot_standby = on\n");
        await Run(Path.Combine(bin, "pg_ctl"), ["start", "-D", ReplicaDirectory, "-w", "-l", Path.Combine(root.Path, "replica.log")]);
    }

    private async Task Run(string tool, string[] args, bool asRoot = false)
    {
        var result = await (asRoot ? new ProcessRunner(null) : tools).RunAsync(tool, args, Timeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(tool)} failed: {result.Output}");
        }
    }

    private static string Url(int port, string database = "mms") => $"Host=127.0.0.1;Port={port};Username={Role};Database={database};Pooling=false";

    private static async Task ExecuteAsync(string url, string sql)
    {
        await using var connection = new NpgsqlConnection(url);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(string url, string sql)
    {
        await using var connection = new NpgsqlConnection(url);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
