using System.Diagnostics;
using System.Text.Json;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Generation;
using MultiModalSearch.Models.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Bench;

/// <summary>
/// One measured generation in its own process (so GNU time's peak RSS is this configuration's alone): a random-weight
/// Llama decoder built in the compute dtype, a prompt of <c>prefix</c> random embedding rows (LLaVA's image tokens)
/// then <c>text</c> token ids, greedy through <see cref="LlamaGenerator"/> exactly as generation runs. Prints one JSON line.
/// </summary>
internal sealed class DecoderChild(string configPath, string dtype, int prefix, int text, int newTokens, int threads, string device)
{
    private const int Seed = 20261130;

    public void Run()
    {
        // As mms generate, ask and serve do: the child measures what a user gets.
        OpenMpWaitPolicy.PreferPassive();
        torch.set_num_threads(threads);
        torch.manual_seed(Seed);
        using var json = JsonDocument.Parse(File.ReadAllBytes(configPath));
        var config = LlamaConfig.FromJson(json.RootElement, Path.GetFileName(configPath));
        var compute = ComputeOptions.Resolve(device, dtype, Workload.Generation);
        using var model = new LlamaForCausalLM(config, compute.Device, compute.DType);
        model.eval();
        using var prefixRows = (torch.randn(1, prefix, config.HiddenSize) * 0.02).to(compute.DType).to(compute.Device);
        var random = new Random(Seed);
        var ids = Enumerable.Range(0, text).Select(_ => random.Next(3, config.VocabSize)).ToArray();
        Generate(model, prefixRows.narrow(1, 0, 8), ids[..4], 3); // warm-up: kernels chosen, allocator primed
        var clock = Stopwatch.StartNew();
        double? firstToken = null;
        var generated = new List<int>();
        foreach (var token in Generate(model, prefixRows, ids, newTokens))
        {
            firstToken ??= clock.Elapsed.TotalSeconds;
            generated.Add(token.Id);
        }

        var rest = clock.Elapsed.TotalSeconds - firstToken!.Value;
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["threads"] = threads,
            ["dtype"] = dtype,
            ["device"] = compute.DeviceName,
            ["prompt_tokens"] = prefix + text,
            ["new_tokens"] = generated.Count,
            ["ttft_s"] = Math.Round(firstToken.Value, 4),
            ["decode_tokens_per_s"] = Math.Round((generated.Count - 1) / rest, 3),
            ["ids"] = generated.Take(8).ToArray(),
        }));
    }

    private static IEnumerable<GeneratedToken> Generate(LlamaForCausalLM model, Tensor prefixRows, int[] ids, int count)
    {
        Tensor Embed()
        {
            using var scope = NewDisposeScope();
            using var idTensor = torch.tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Length], device: prefixRows.device);
            return torch.cat([prefixRows, model.Model.EmbedTokens(idTensor)], dim: 1).MoveToOuterDisposeScope();
        }

        var promptIds = new int[prefixRows.shape[1] + ids.Length];
        return LlamaGenerator.Generate(model, Embed, promptIds, GenerationOptions.Greedy(count) with { StopTokenIds = [] }, []);
    }
}
