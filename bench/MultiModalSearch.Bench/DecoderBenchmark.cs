using MultiModalSearch.Models.Compute;

namespace MultiModalSearch.Bench;

/// <summary>
/// Issue 19 item 7 (CPU): tokens/s at batch 1 and time to first token for a Llama decoder (default TinyLlama-1.1B's
/// shape, random weights) after a 576-row image prefix, ours against a plain PyTorch eager loop with a KV cache
/// (bench/baselines/pytorch_llama_baseline.py), fp32 and (where the CPU has bf16 units) bf16, alternating in one run.
/// Each side runs in its own process under GNU time for its peak RSS.
/// </summary>
internal sealed class DecoderBenchmark(string repoRoot, string configPath, int prefix, int text, int newTokens, int runs, IReadOnlyList<string> dtypes, string device)
{
    public void Run()
    {
        var threads = Environment.ProcessorCount;
        var dll = typeof(DecoderBenchmark).Assembly.Location;
        var script = Path.Combine(repoRoot, "bench", "baselines", "pytorch_llama_baseline.py");
        var cuda = device.StartsWith("cuda", StringComparison.Ordinal);
        var usable = dtypes.Where(d => cuda || d != "bf16" || CpuFeatures.HasFastBFloat16).ToList();
        var notes = new List<string>
        {
            $"model {Path.GetFileName(configPath)}, random weights, prompt {prefix} embedding rows + {text} ids, {newTokens} new tokens greedy, batch 1, {threads} threads, device {device}",
        };
        if (usable.Count < dtypes.Count)
        {
            notes.Add("bf16 skipped: this CPU has neither AVX512-BF16 nor AMX");
        }

        var rows = new List<(Measurement, Measurement?)>();
        var memory = new List<IReadOnlyList<string>>();
        var measured = usable.ToDictionary(d => d, d => (
            OursRate: new Measurement($"ours {d} decode", "tokens/s"), TorchRate: new Measurement($"PyTorch eager {d} decode", "tokens/s"),
            OursFirst: new Measurement($"ours {d} time to first token", "s"), TorchFirst: new Measurement($"PyTorch eager {d} time to first token", "s"),
            OursRss: new Measurement($"ours {d}", "MiB"), TorchRss: new Measurement($"PyTorch eager {d}", "MiB")));
        string[] common = ["--prefix", $"{prefix}", "--text", $"{text}", "--new-tokens", $"{newTokens}", "--threads", $"{threads}", "--device", device];
        for (var run = 0; run < runs; run++)
        {
            foreach (var dtype in usable)
            {
                var m = measured[dtype];
                Console.Error.WriteLine($"run {run + 1}/{runs} {dtype}: ours");
                var ours = ChildProcess.RunDotnet(dll, ["decoder-child", "--config", configPath, "--dtype", dtype, .. common], requirePeakRss: !cuda);
                Record(ours, m.OursRate, m.OursFirst, m.OursRss);
                Console.Error.WriteLine($"run {run + 1}/{runs} {dtype}: PyTorch eager");
                var torch = ChildProcess.Run(PythonBaseline.Python, [script, "--config", configPath, "--dtype", dtype, .. common], requirePeakRss: !cuda);
                Record(torch, m.TorchRate, m.TorchFirst, m.TorchRss);
            }
        }

        foreach (var dtype in usable)
        {
            var m = measured[dtype];
            rows.AddRange([(m.TorchRate, null), (m.OursRate, m.TorchRate), (m.TorchFirst, null), (m.OursFirst, m.TorchFirst)]);
            memory.Add([$"ours {dtype}", $"{m.OursRss.Median:F0}", m.OursRss.Range]);
            memory.Add([$"PyTorch eager {dtype}", $"{m.TorchRss.Median:F0}", m.TorchRss.Range]);
        }

        BenchReport.Print("Decoder generation (batch 1)", rows, notes);
        BenchReport.PrintGrid("Peak RSS", ["process", "median MiB", "runs (min - max)"], memory,
            [cuda ? "host memory only: GPU memory is not in the RSS" : "TinyLlama-1.1B: weights 4.4 GB in fp32, 2.2 GB in bf16; KV cache 2 KB per position and layer in fp32 (29 MB at 640 positions, half that in bf16)"]);
    }

    private static void Record(ChildRun run, Measurement rate, Measurement first, Measurement rss)
    {
        var json = run.Json();
        rate.Add(json.GetProperty("decode_tokens_per_s").GetDouble());
        first.Add(json.GetProperty("ttft_s").GetDouble());
        rss.Add(run.PeakRssMiB);
        Console.Error.WriteLine($"  {json}  peak {run.PeakRssMiB:F0} MiB");
    }
}
