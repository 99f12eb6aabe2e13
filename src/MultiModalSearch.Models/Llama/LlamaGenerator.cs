using MultiModalSearch.Models.Generation;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Llama;

/// <summary>
/// The token-by-token loop over a <see cref="LlamaForCausalLM"/> at batch 1: one prefill over the prompt's embeddings,
/// then one position per step with the KV cache (or, for checking it, the whole sequence recomputed each step).
/// Each step runs to completion inside its own dispose scope and inference mode, so nothing thread-bound is held
/// between tokens and the caller may await (stream) between them.
/// </summary>
public static class LlamaGenerator
{
    /// <param name="model">The decoder; not used concurrently by anyone else while this runs.</param>
    /// <param name="embedPrompt">Builds the prompt's [1, length, hidden] embeddings; called inside the first step.</param>
    /// <param name="promptIds">The prompt's ids (their count is the prompt length; the repetition penalty sees them).</param>
    /// <param name="stopTokenIds">Ids that end generation; such an id is yielded (as transformers keeps it) and is the last.</param>
    /// <param name="useCache">false recomputes the full sequence every step: slow, for checking the cache.</param>
    public static IEnumerable<GeneratedToken> Generate(LlamaForCausalLM model, Func<Tensor> embedPrompt, IReadOnlyList<int> promptIds,
        GenerationOptions options, IReadOnlyCollection<int> stopTokenIds, bool useCache = true)
    {
        options.Validate();
        if (options.MaxNewTokens == 0)
        {
            yield break;
        }

        var sampler = new TokenSampler(options);
        var seen = new HashSet<int>(promptIds);
        var generated = new List<int>();
        var device = model.Model.EmbeddingWeight.device;
        using var cache = useCache ? new LlamaKvCache(model.Config, promptIds.Count + options.MaxNewTokens) : null;
        Tensor? prompt = null;
        try
        {
            for (var step = 0; step < options.MaxNewTokens; step++)
            {
                var logits = NextLogits(model, cache, step == 0 ? embedPrompt : null, ref prompt, generated, device);
                var raw = (float[])logits.Clone();
                var id = sampler.Next(logits, seen);
                generated.Add(id);
                seen.Add(id);
                yield return new GeneratedToken(id, raw[id]);
                if (stopTokenIds.Contains(id))
                {
                    yield break;
                }
            }
        }
        finally
        {
            prompt?.Dispose();
        }
    }

    private static float[] NextLogits(LlamaForCausalLM model, LlamaKvCache? cache, Func<Tensor>? embedPrompt, ref Tensor? prompt,
        List<int> generated, Device device)
    {
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        Tensor inputs;
        if (embedPrompt is not null)
        {
            inputs = embedPrompt();
            if (cache is null)
            {
                // Recomputing needs the prompt's embeddings in every step: keep them past this scope.
                prompt = inputs.alias().DetachFromDisposeScope();
            }
        }
        else if (cache is not null)
        {
            inputs = model.Model.EmbedTokens(torch.tensor(new long[] { generated[^1] }, [1, 1], device: device));
        }
        else
        {
            var ids = torch.tensor(generated.Select(i => (long)i).ToArray(), [1, generated.Count], device: device);
            inputs = torch.cat([prompt!, model.Model.EmbedTokens(ids)], dim: 1);
        }

        var last = model.LastLogits(inputs, cache);
        return last[0].to(ScalarType.Float32).cpu().data<float>().ToArray();
    }
}
