using System.Diagnostics;
using System.Globalization;

namespace MultiModalSearch.Bench;

/// <summary>
/// Runs a command as a child process under GNU time (/usr/bin/time, Debian package `time`) and reads its peak RSS.
/// Why GNU time rather than polling /proc/PID/status VmHWM: time reports ru_maxrss from wait4, the kernel's own
/// high-water mark taken at exit, so no late peak (the last flush, the final status query) can fall between two polls;
/// and measuring a child rather than this process separates each run's peak from the others'.
/// </summary>
internal static class ChildProcess
{
    private const string GnuTime = "/usr/bin/time";

    /// <param name="requirePeakRss">false: where GNU time is missing (a bare GPU machine), run without it and report the peak as -1.</param>
    public static ChildRun Run(string program, IEnumerable<string> arguments, bool requirePeakRss = true)
    {
        if (!File.Exists(GnuTime) && !requirePeakRss)
        {
            return RunWithoutTime(program, arguments);
        }

        if (!File.Exists(GnuTime))
        {
            throw new InvalidOperationException($"{GnuTime} is missing: apt-get install time (scripts/setup.sh --bench installs it)");
        }

        var rssFile = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo(GnuTime) { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in (string[])["-f", "%M", "-o", rssFile, program, .. arguments])
            {
                start.ArgumentList.Add(argument);
            }

            // stderr is not redirected: the children's progress lines reach the terminal as they come.
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{stdout}");
            }

            return new ChildRun(stdout, ReadPeakKiB(rssFile), clock.Elapsed.TotalSeconds);
        }
        finally
        {
            File.Delete(rssFile);
        }
    }

    /// <summary>Runs a .NET program (a dll) through the same dotnet host as this process.</summary>
    public static ChildRun RunDotnet(string dll, IEnumerable<string> arguments, bool requirePeakRss = true) =>
        Run(Environment.ProcessPath ?? "dotnet", [dll, .. arguments], requirePeakRss);

    private static ChildRun RunWithoutTime(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{stdout}");
        }

        return new ChildRun(stdout, -1, clock.Elapsed.TotalSeconds);
    }

    private static long ReadPeakKiB(string rssFile)
    {
        // GNU time writes "Command exited with non-zero status" lines before the figure when the child fails.
        var last = File.ReadAllLines(rssFile).Last(l => l.Trim().Length > 0).Trim();
        return long.Parse(last, CultureInfo.InvariantCulture);
    }
}
