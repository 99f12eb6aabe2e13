using System.Diagnostics;
using System.Text.Json;

namespace MultiModalSearch.Bench;

/// <summary>Runs a script of bench/baselines (PyTorch eager, fed as Python users feed it) and reads its JSON line.</summary>
internal static class PythonBaseline
{
    public static string Python => Environment.GetEnvironmentVariable("MMS_BENCH_PYTHON") ?? "/usr/bin/python3";

    /// <summary>bench/baselines/pytorch_clip_baseline.py.</summary>
    public static JsonElement Run(string repoRoot, params string[] arguments) => Run(repoRoot, "pytorch_clip_baseline.py", arguments);

    public static JsonElement Run(string repoRoot, string scriptName, string[] arguments)
    {
        var script = Path.Combine(repoRoot, "bench", "baselines", scriptName);
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {Python}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"baseline failed ({process.ExitCode}): {stderr.Result}");
        }

        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        return JsonDocument.Parse(line).RootElement.Clone();
    }
}
