using System.Diagnostics;
using System.Globalization;

namespace MultiModalSearch.Core.Indexing;

/// <summary>
/// Names a worker process as host:pid:start-ticks. A later run on the same host can then tell that a claim holder
/// is dead (no such pid, or the pid was reused by a process that started later) and take its work over at once.
/// </summary>
public static class WorkerIdentity
{
    public static string Current { get; } = Create(Environment.ProcessId, Process.GetCurrentProcess().StartTime);

    public static string Create(int pid, DateTime startTime) =>
        $"{Environment.MachineName}:{pid}:{startTime.ToUniversalTime().Ticks / TimeSpan.TicksPerSecond}";

    /// <summary>True only for a worker of this host that is certainly not running any more.</summary>
    public static bool IsDeadLocalWorker(string workerId)
    {
        var parts = workerId.Split(':');
        if (parts.Length != 3 || parts[0] != Environment.MachineName
            || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out var startSeconds))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.StartTime.ToUniversalTime().Ticks / TimeSpan.TicksPerSecond != startSeconds;
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
        catch (InvalidOperationException)
        {
            return true; // exited while we looked
        }
    }
}
