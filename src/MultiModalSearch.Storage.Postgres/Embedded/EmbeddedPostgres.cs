using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MultiModalSearch.Abstractions.Storage;
using Npgsql;

namespace MultiModalSearch.Storage.Postgres.Embedded;

/// <summary>
/// A project-local PostgreSQL cluster, used when no connection string is configured. It listens only on a Unix
/// socket in a private (0700) directory and trusts only its one role there, so nothing else on the machine can
/// reach it. A cluster that is already running (started by another of our processes) is reused; only the
/// instance that started it stops it, in <see cref="StopAsync"/> or on dispose.
/// </summary>
public sealed partial class EmbeddedPostgres : IAsyncDisposable
{
    // A Unix socket path is limited to 108 bytes including the terminating NUL (sun_path).
    private const int MaxSocketPathLength = 107;
    private const string SetupHint = "run scripts/setup.sh";

    private readonly ProcessRunner tools;
    private readonly string binDirectory;
    private readonly TimeSpan timeout;

    private EmbeddedPostgres(EmbeddedPostgresOptions options, string binDirectory, string dataDirectory, string socketDirectory, string? serviceUser)
    {
        this.binDirectory = binDirectory;
        timeout = options.StartTimeout;
        tools = new ProcessRunner(serviceUser);
        DataDirectory = dataDirectory;
        SocketDirectory = socketDirectory;
        Port = options.Port;
        Database = options.Database;
        Username = serviceUser ?? Environment.UserName;
    }

    public string DataDirectory { get; }

    /// <summary>Where the server's socket is; taken from the running server when it was started by someone else.</summary>
    public string SocketDirectory { get; private set; }

    public int Port { get; private set; }

    public string Username { get; }

    public string Database { get; }

    /// <summary>True when this instance started the server (and so is the one that stops it).</summary>
    public bool StartedByThisInstance { get; private set; }

    /// <summary>Connection string of the application database.</summary>
    public string ConnectionString => GetConnectionString(Database);

    public string GetConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = SocketDirectory,
        Port = Port,
        Username = Username,
        Database = database,
    }.ConnectionString;

    /// <summary>Initialises the cluster if needed, starts it unless it runs already, and creates the database with pgvector.</summary>
    public static async Task<EmbeddedPostgres> StartAsync(EmbeddedPostgresOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmbeddedPostgresOptions();
        ValidateDatabaseName(options.Database);
        var binDirectory = ResolveBinDirectory(options.BinDirectory);
        var dataDirectory = Path.GetFullPath(options.DataDirectory ?? DefaultDataDirectory());
        var socketDirectory = Path.GetFullPath(options.SocketDirectory ?? DefaultSocketDirectory(dataDirectory, options.Port));
        var serviceUser = Environment.IsPrivilegedProcess ? options.ServiceUser : null;
        var server = new EmbeddedPostgres(options, binDirectory, dataDirectory, socketDirectory, serviceUser);
        await server.StartCoreAsync(serviceUser, cancellationToken);
        return server;
    }

    /// <summary>Creates a database (if missing) with the vector extension and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        ValidateDatabaseName(name);
        await using (var admin = NpgsqlDataSource.Create(GetConnectionString("postgres")))
        {
            await EnsurePgvectorAvailableAsync(admin, cancellationToken);
            await CreateDatabaseIfMissingAsync(admin, name, cancellationToken);
        }
        var connectionString = GetConnectionString(name);
        await CreateVectorExtensionAsync(connectionString, cancellationToken);
        NpgsqlConnection.ClearAllPools();
        return connectionString;
    }

    /// <summary>Stops the server (fast shutdown: sessions are ended, data is safe) if this instance started it.</summary>
    public Task<bool> StopAsync(CancellationToken cancellationToken = default) => StopAsync(evenIfAdopted: false, cancellationToken);

    /// <summary>
    /// Stops the server; with <paramref name="evenIfAdopted"/> also one another of our processes started, so that the
    /// last process to use a shared embedded cluster can shut it down.
    /// </summary>
    public async Task<bool> StopAsync(bool evenIfAdopted, CancellationToken cancellationToken = default)
    {
        if (!StartedByThisInstance && !evenIfAdopted) return false;
        NpgsqlConnection.ClearAllPools();
        using (await AcquireLockAsync(cancellationToken))
        {
            var result = await PgCtlAsync(["stop", "-D", DataDirectory, "-m", "fast", "-w", "-s", "-t", TimeoutSeconds()], cancellationToken);
            if (result.ExitCode != 0 && await IsRunningAsync(cancellationToken))
                throw new StorageSetupException($"pg_ctl stop failed: {result.Output}");
        }
        StartedByThisInstance = false;
        return true;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task StartCoreAsync(string? serviceUser, CancellationToken cancellationToken)
    {
        PrepareDirectory(Path.GetDirectoryName(DataDirectory)!, privateMode: false);
        using (await AcquireLockAsync(cancellationToken))
        {
            PrepareDirectory(DataDirectory, privateMode: true);
            PrepareDirectory(SocketDirectory, privateMode: true);
            if (serviceUser is not null) await GiveToServiceUserAsync(serviceUser, cancellationToken);
            if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION"))) await InitDbAsync(cancellationToken);
            if (await IsRunningAsync(cancellationToken)) AdoptRunningServer();
            else await StartServerAsync(serviceUser, cancellationToken);
            await CreateDatabaseAsync(Database, cancellationToken);
        }
    }

    private async Task InitDbAsync(CancellationToken cancellationToken)
    {
        var result = await tools.RunAsync(Tool("initdb"),
            ["-D", DataDirectory, "-U", Username, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-instructions"],
            timeout, cancellationToken);
        if (result.ExitCode != 0) throw new StorageSetupException($"initdb failed in {DataDirectory}: {result.Output}");
        // Replace the generated rules (trust for every role, also over TCP loopback) with one local rule.
        await File.WriteAllTextAsync(Path.Combine(DataDirectory, "pg_hba.conf"),
            $"# MultiModalSearch: only the cluster's own role, only through the private Unix socket.\nlocal all {Username} trust\n",
            cancellationToken);
        // Settings that depend on paths live in mms.conf, rewritten before each start.
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"),
            "\ninclude_if_exists = 'mms.conf'\n", cancellationToken);
    }

    private async Task StartServerAsync(string? serviceUser, CancellationToken cancellationToken)
    {
        var conf = Path.Combine(DataDirectory, "mms.conf");
        await File.WriteAllTextAsync(conf, ServerSettings(), cancellationToken);
        if (serviceUser is not null) await ChownAsync(serviceUser, conf, recursive: false, cancellationToken);
        var log = Path.Combine(DataDirectory, "server.log");
        var result = await PgCtlAsync(["start", "-D", DataDirectory, "-w", "-s", "-t", TimeoutSeconds(), "-l", log], cancellationToken);
        if (result.ExitCode != 0)
            throw new StorageSetupException($"pg_ctl start failed ({DataDirectory}): {result.Output}\n{TailOf(log)}");
        StartedByThisInstance = true;
    }

    private string ServerSettings() => string.Join('\n',
        "# Written by MultiModalSearch before each start.",
        "listen_addresses = ''",
        $"unix_socket_directories = '{SocketDirectory.Replace("'", "''", StringComparison.Ordinal)}'",
        "unix_socket_permissions = 0700",
        $"port = {Port.ToString(CultureInfo.InvariantCulture)}",
        "max_connections = 200",
        "") ;

    /// <summary>Takes the socket directory and port from postmaster.pid, so a server started with other settings is still found.</summary>
    private void AdoptRunningServer()
    {
        var lines = File.ReadAllLines(Path.Combine(DataDirectory, "postmaster.pid"));
        // Lines: pid, data dir, start time, port, socket dir, listen address, shmem key, status.
        if (lines.Length > 4 && int.TryParse(lines[3], CultureInfo.InvariantCulture, out var port)) Port = port;
        if (lines.Length > 4 && lines[4].Length > 0) SocketDirectory = lines[4];
    }

    private async Task<bool> IsRunningAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION"))) return false;
        var result = await PgCtlAsync(["status", "-D", DataDirectory], cancellationToken);
        return result.ExitCode == 0;
    }

    private Task<ProcessResult> PgCtlAsync(string[] args, CancellationToken cancellationToken) =>
        tools.RunAsync(Tool("pg_ctl"), args, timeout + TimeSpan.FromSeconds(10), cancellationToken);

    private string Tool(string name) => Path.Combine(binDirectory, name);

    private string TimeoutSeconds() => ((int)timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);

    private async Task GiveToServiceUserAsync(string serviceUser, CancellationToken cancellationToken)
    {
        var probe = await new ProcessRunner(null).RunAsync("id", ["-u", serviceUser], timeout, cancellationToken);
        if (probe.ExitCode != 0)
            throw new StorageSetupException($"running as root, PostgreSQL must run as an unprivileged user, but user '{serviceUser}' does not exist; {SetupHint} (it installs the postgresql package, which creates it)");
        await ChownAsync(serviceUser, DataDirectory, recursive: true, cancellationToken);
        await ChownAsync(serviceUser, SocketDirectory, recursive: false, cancellationToken);
        var reach = await tools.RunAsync("test", ["-w", DataDirectory, "-a", "-w", SocketDirectory], timeout, cancellationToken);
        if (reach.ExitCode != 0)
            throw new StorageSetupException($"user '{serviceUser}' cannot reach {DataDirectory} or {SocketDirectory} (a parent directory is private?); choose another data directory");
    }

    private async Task ChownAsync(string user, string path, bool recursive, CancellationToken cancellationToken)
    {
        string[] args = recursive ? ["-R", $"{user}:", path] : [$"{user}:", path];
        var result = await new ProcessRunner(null).RunAsync("chown", args, timeout, cancellationToken);
        if (result.ExitCode != 0) throw new StorageSetupException($"chown {path} to {user} failed: {result.Output}");
    }

    /// <summary>
    /// Serialises start and stop between our processes (two `mms` commands started together must not both run
    /// initdb or pg_ctl start). .NET takes an exclusive flock for FileShare.None on Unix.
    /// </summary>
    private async Task<IDisposable> AcquireLockAsync(CancellationToken cancellationToken)
    {
        var path = DataDirectory.TrimEnd('/') + ".lock";
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private static void PrepareDirectory(string path, bool privateMode)
    {
        Directory.CreateDirectory(path);
        // initdb wants 0700 (or 0750); the socket directory is what keeps other users away from the trust rule.
        if (privateMode && !OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static async Task EnsurePgvectorAvailableAsync(NpgsqlDataSource admin, CancellationToken cancellationToken)
    {
        await using var command = admin.CreateCommand("SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'");
        var count = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        if (count == 0)
            throw new StorageSetupException($"the pgvector extension is not installed for this PostgreSQL server; {SetupHint}");
    }

    private static async Task CreateDatabaseIfMissingAsync(NpgsqlDataSource admin, string name, CancellationToken cancellationToken)
    {
        await using var exists = admin.CreateCommand("SELECT count(*) FROM pg_database WHERE datname = $1");
        exists.Parameters.Add(new NpgsqlParameter { Value = name });
        if ((long)(await exists.ExecuteScalarAsync(cancellationToken))! > 0) return;
        // CREATE DATABASE takes no parameters; the name was validated against a strict pattern.
        await using var create = admin.CreateCommand($"CREATE DATABASE \"{name}\"");
        try
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another process created it between our check and our CREATE.
        }
    }

    private static async Task CreateVectorExtensionAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("CREATE EXTENSION IF NOT EXISTS vector");
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateObject)
        {
            // Concurrent CREATE EXTENSION IF NOT EXISTS can still collide on the catalog; the other one won.
        }
    }

    private static string ResolveBinDirectory(string? configured)
    {
        if (configured is not null)
        {
            if (File.Exists(Path.Combine(configured, "pg_ctl"))) return configured;
            throw new StorageSetupException($"PostgreSQL binaries (pg_ctl, initdb) not found in {configured}; {SetupHint}");
        }
        var candidates = Enumerable.Range(13, 6).Reverse().Select(v => (Version: v, Bin: $"/usr/lib/postgresql/{v}/bin"))
            .Where(c => File.Exists(Path.Combine(c.Bin, "pg_ctl"))).ToList();
        // Prefer a server that has pgvector: a newer one without it would only fail later.
        var withVector = candidates.FirstOrDefault(c => File.Exists($"/usr/share/postgresql/{c.Version}/extension/vector.control"));
        return withVector.Bin ?? candidates.FirstOrDefault().Bin
            ?? throw new StorageSetupException($"PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin; {SetupHint}, or set a connection string");
    }

    /// <summary>The per-user data folder (XDG), for callers that configure none.</summary>
    private static string DefaultDataDirectory() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "mms", "postgres");

    private static string DefaultSocketDirectory(string dataDirectory, int port)
    {
        var sibling = dataDirectory.TrimEnd('/') + "-socket";
        var socketFile = $"/.s.PGSQL.{port.ToString(CultureInfo.InvariantCulture)}";
        if (Encoding.UTF8.GetByteCount(sibling + socketFile) <= MaxSocketPathLength) return sibling;
        // Deep checkouts exceed the socket path limit; a short, per-cluster name under /tmp does not.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dataDirectory)))[..16];
        return Path.Combine(Path.GetTempPath(), $"mms-pg-{hash}");
    }

    private static void ValidateDatabaseName(string name)
    {
        if (!DatabaseNamePattern().IsMatch(name))
            throw new ArgumentException($"invalid database name '{name}': use lower-case letters, digits and _ (at most 63)", nameof(name));
    }

    private static string TailOf(string file)
    {
        try
        {
            var lines = File.ReadAllLines(file);
            return string.Join('\n', lines.TakeLast(20));
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseNamePattern();
}
