namespace MultiModalSearch.Models.Generation;

/// <summary>
/// Picks the next token from one position's logits (float32, on the CPU). Greedy takes the argmax (ties to the lowest id,
/// as torch.argmax); sampling follows transformers' processors in order: repetition penalty, temperature, top-k, top-p,
/// then one draw from the softmax with its own seeded generator. Not thread-safe: one per generation.
/// </summary>
public sealed class TokenSampler
{
    private readonly GenerationOptions options;
    private readonly Random random;
    private int[] order = [];
    private float[] keys = [];
    private double[] probabilities = [];

    public TokenSampler(GenerationOptions options)
    {
        options.Validate();
        this.options = options;
        random = new Random(options.Seed ?? Random.Shared.Next());
    }

    /// <summary>The next token; <paramref name="logits"/> is modified in place. <paramref name="seen"/> feeds the repetition penalty.</summary>
    public int Next(float[] logits, IReadOnlySet<int> seen)
    {
        if (options.RepetitionPenalty != 1.0)
        {
            ApplyRepetitionPenalty(logits, seen, (float)options.RepetitionPenalty);
        }

        if (!options.DoSample)
        {
            return ArgMax(logits);
        }

        var temperature = (float)options.Temperature;
        if (temperature != 1f)
        {
            for (var i = 0; i < logits.Length; i++)
            {
                logits[i] /= temperature;
            }
        }

        return Sample(logits);
    }

    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>transformers: a seen token's logit is divided by the penalty when positive, multiplied when negative.</summary>
    private static void ApplyRepetitionPenalty(float[] logits, IReadOnlySet<int> seen, float penalty)
    {
        foreach (var id in seen)
        {
            if (id >= 0 && id < logits.Length)
            {
                logits[id] = logits[id] < 0 ? logits[id] * penalty : logits[id] / penalty;
            }
        }
    }

    private int Sample(float[] logits)
    {
        var count = logits.Length;
        if (order.Length != count)
        {
            order = new int[count];
            keys = new float[count];
            probabilities = new double[count];
        }

        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        var truncates = options.TopK > 0 || options.TopP < 1.0;
        if (truncates)
        {
            // Most likely first (a primitive-key sort: a few milliseconds for 32000 logits, not tens).
            for (var i = 0; i < count; i++)
            {
                keys[i] = -logits[i];
            }

            Array.Sort(keys, order);
        }

        var kept = options.TopK > 0 ? Math.Min(options.TopK, count) : count;
        var max = logits[TokenSampler.ArgMax(logits)];
        var total = 0.0;
        for (var i = 0; i < kept; i++)
        {
            probabilities[i] = Math.Exp(logits[order[i]] - max);
            total += probabilities[i];
        }

        if (options.TopP < 1.0)
        {
            // The smallest most-likely set whose mass reaches top_p (always at least one token).
            var mass = 0.0;
            var cut = kept;
            for (var i = 0; i < kept; i++)
            {
                mass += probabilities[i] / total;
                if (mass >= options.TopP)
                {
                    cut = i + 1;
                    break;
                }
            }

            kept = cut;
            total = 0.0;
            for (var i = 0; i < kept; i++)
            {
                total += probabilities[i];
            }
        }

        var draw = random.NextDouble() * total;
        for (var i = 0; i < kept; i++)
        {
            draw -= probabilities[i];
            if (draw < 0)
            {
                return order[i];
            }
        }

        return order[kept - 1];
    }
}
