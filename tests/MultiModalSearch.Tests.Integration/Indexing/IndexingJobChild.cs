using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Support;

namespace MultiModalSearch.Tests.Indexing;

/// <summary>
/// One <c>mms index</c> child process against a test database. Output is drained continuously (a full pipe must never
/// stall the child), every wait has a deadline, and a child still running on dispose is killed with its tree.
/// </summary>
internal sealed class IndexingJobChild : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();

    private IndexingJobChild(Process process)
    {
        this.process = process;
    }

    public int Id => process.Id;

    public string Stdout
    {
        get
        {
            lock (stdout)
            {
                return stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }
    }

    /// <summary>The arguments of a JSON-reporting, small-batch index run of <paramref name="roots"/> into <paramref name="collection"/>.</summary>
    public static string[] IndexArguments(string connectionString, string collection, IEnumerable<string> roots, params string[] extra) =>
        IndexArguments(connectionString, collection, roots, batchSize: 4, extra);

    public static string[] IndexArguments(string connectionString, string collection, IEnumerable<string> roots, int batchSize, params string[] extra) =>
    [
        "index", .. roots, "--collection", collection, "--model", ClipTinyFixture.Directory, "--db", connectionString,
        "--json", "--batch-size", batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture), "--workers", "1", .. extra,
    ];

    public static IndexingJobChild Start(IEnumerable<string> arguments)
    {
        // One torch thread per child: several children and the test host share a small machine.
        var start = CliProcess.StartInfo(arguments, new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "1", ["MKL_NUM_THREADS"] = "1" });
        var process = new Process { StartInfo = start };
        var child = new IndexingJobChild(process);
        process.OutputDataReceived += (_, e) => Append(child.stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(child.stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs to the end; fails (after killing the child) when it takes longer than <paramref name="timeout"/>.</summary>
    public static async Task<IndexingJobChild> RunAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        var child = Start(arguments);
        await child.WaitForExitAsync(timeout);
        return child;
    }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Waits for the child to end on its own; kills it and fails the test when it does not in time.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"mms index did not finish within {timeout.TotalSeconds:F0} s\nstderr:\n{Stderr}");
        }

        process.WaitForExit(); // flushes the asynchronous output readers
        return process.ExitCode;
    }

    /// <summary>SIGKILL: no handler runs, nothing is released or flushed.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended on its own in between.
            }
        }

        await WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>SIGTERM: the polite stop a service manager or container runtime sends.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        await kill.WaitForExitAsync();
    }

    /// <summary>The <c>--json</c> summary (the last stdout line); fails with the child's stderr when there is none.</summary>
    public JsonElement Summary()
    {
        var line = Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('{'));
        Assert.True(line is not null, $"no JSON summary (exit code {ExitCode})\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        using var document = JsonDocument.Parse(line);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts a clean exit (0) and returns the summary.</summary>
    public JsonElement SucceededSummary()
    {
        Assert.True(ExitCode == 0, $"mms index exited with {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        return Summary();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }
}
