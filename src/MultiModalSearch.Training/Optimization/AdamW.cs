using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Training.Optimization;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter) with decoupled weight decay applied only to parameters marked for it. Written here
/// rather than taken from TorchSharp so its moments can be checkpointed by parameter name and resumed bit-exactly.
/// </summary>
public sealed class AdamW : IDisposable
{
    private readonly IReadOnlyList<TrainableParameter> parameters;
    private readonly Dictionary<string, Tensor> firstMoments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> secondMoments = new(StringComparer.Ordinal);

    public AdamW(IReadOnlyList<TrainableParameter> parameters, AdamWSettings settings)
    {
        this.parameters = parameters;
        Settings = settings;
        foreach (var p in parameters)
        {
            firstMoments[p.Name] = torch.zeros_like(p.Master).DetachFromDisposeScope();
            secondMoments[p.Name] = torch.zeros_like(p.Master).DetachFromDisposeScope();
        }
    }

    public AdamWSettings Settings { get; }

    /// <summary>Optimizer steps taken so far (drives bias correction).</summary>
    public long StepCount { get; private set; }

    public void Step(double learningRate)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        StepCount++;
        var correction1 = 1 - Math.Pow(Settings.Beta1, StepCount);
        var correction2Sqrt = Math.Sqrt(1 - Math.Pow(Settings.Beta2, StepCount));
        foreach (var p in parameters)
        {
            if (p.Gradient is not { } gradient)
            {
                continue;
            }

            if (p.Decay && Settings.WeightDecay > 0)
            {
                p.Master.mul_(1 - (learningRate * Settings.WeightDecay));
            }

            var m = firstMoments[p.Name].mul_(Settings.Beta1).add_(gradient, alpha: 1 - Settings.Beta1);
            var v = secondMoments[p.Name].mul_(Settings.Beta2).addcmul_(gradient, gradient, value: 1 - Settings.Beta2);
            var denominator = (v.sqrt() / correction2Sqrt).add_(Settings.Epsilon);
            p.Master.addcdiv_(m, denominator, value: -learningRate / correction1);
        }
    }

    /// <summary>The moments by name (<c>exp_avg.NAME</c>, <c>exp_avg_sq.NAME</c>), for checkpoints.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> StateTensors() =>
        firstMoments.Select(m => KeyValuePair.Create("exp_avg." + m.Key, m.Value))
            .Concat(secondMoments.Select(m => KeyValuePair.Create("exp_avg_sq." + m.Key, m.Value)));

    public void Restore(long stepCount, Func<string, Tensor> read)
    {
        using var noGrad = torch.no_grad();
        StepCount = stepCount;
        foreach (var name in firstMoments.Keys)
        {
            using var first = read("exp_avg." + name);
            using var second = read("exp_avg_sq." + name);
            firstMoments[name].copy_(first);
            secondMoments[name].copy_(second);
        }
    }

    public void Dispose()
    {
        foreach (var t in firstMoments.Values.Concat(secondMoments.Values))
        {
            t.Dispose();
        }
    }
}
