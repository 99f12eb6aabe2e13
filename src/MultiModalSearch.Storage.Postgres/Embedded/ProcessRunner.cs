using System.Diagnostics;
using System.Text;
using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Storage.Postgres.Embedded;

/// <summary>
/// Runs PostgreSQL's tools. When this process is root the tools run as an unprivileged service user through
/// runuser, because initdb and postgres refuse to run as root.
/// </summary>
internal sealed class ProcessRunner
{
    private readonly string? runAsUser;

    public ProcessRunner(string? runAsUser) => this.runAsUser = runAsUser;

    public async Task<ProcessResult> RunAsync(string file, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var process = new Process { StartInfo = CreateStartInfo(file, args) };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new StorageSetupException($"could not run {process.StartInfo.FileName}: {ex.Message}", ex);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutCts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested) throw;
            throw new StorageSetupException($"{Path.GetFileName(file)} did not finish within {timeout.TotalSeconds:0}s: {Snapshot(output)}");
        }
        // The parameterless wait drains the asynchronous output readers.
        process.WaitForExit();
        return new ProcessResult(process.ExitCode, Snapshot(output));
    }

    private ProcessStartInfo CreateStartInfo(string file, IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The service user may not be allowed into our working directory; "/" is always readable.
            WorkingDirectory = "/",
        };
        if (runAsUser is null)
        {
            info.FileName = file;
        }
        else
        {
            info.FileName = "runuser";
            foreach (var a in new[] { "-u", runAsUser, "--", file }) info.ArgumentList.Add(a);
        }
        foreach (var a in args) info.ArgumentList.Add(a);
        // Messages are parsed by people, but keep them in English so they can be searched for.
        info.Environment["LC_MESSAGES"] = "C";
        return info;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output) return output.ToString().Trim();
    }
}
