using MultiModalSearch.Models.Clip;
using MultiModalSearch.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Training;

/// <summary>
/// Mixed precision without autocast (TorchSharp 0.107 has none): forward and backward run on a bf16/fp16 copy of the
/// model while float32 master weights, gradients and AdamW moments live in the master model, the classic recipe of
/// Micikevicius et al. Gradients are added into float32 buffers after each backward and weights copied back after
/// each step, so small updates are not lost to half-precision rounding. The loss itself is always computed in float32.
/// With float32 compute the mirror is the master model itself and costs nothing.
/// </summary>
internal sealed class PrecisionMirror : IDisposable
{
    private readonly ClipModel master;
    private readonly Dictionary<string, Tensor> computeParameters;
    private readonly Dictionary<string, Tensor> gradientBuffers = new(StringComparer.Ordinal);

    public PrecisionMirror(ClipModel master, ScalarType computeType, Func<string, bool> trainable)
    {
        this.master = master;
        IsMixed = computeType != ScalarType.Float32;
        Compute = IsMixed ? CreateCopy(master, computeType) : master;
        computeParameters = Compute.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter, StringComparer.Ordinal);
        foreach (var (name, parameter) in master.named_parameters())
        {
            var train = trainable(name);
            parameter.requires_grad = train && !IsMixed;
            computeParameters[name].requires_grad = train;
            if (train)
            {
                Parameters.Add(CreateTrainable(name, parameter));
            }
        }
    }

    public bool IsMixed { get; }

    /// <summary>The model to run forward and backward on.</summary>
    public ClipModel Compute { get; }

    public List<TrainableParameter> Parameters { get; } = [];

    /// <summary>Moves this micro-batch's half-precision gradients into the float32 buffers.</summary>
    public void CollectGradients()
    {
        if (!IsMixed)
        {
            return;
        }

        using var noGrad = torch.no_grad();
        foreach (var (name, buffer) in gradientBuffers)
        {
            if (computeParameters[name].grad is { } gradient)
            {
                buffer.add_(gradient.to(ScalarType.Float32));
                gradient.zero_();
            }
        }
    }

    /// <summary>After an optimizer step: copies master weights into the compute copy and clears gradients.</summary>
    public void FinishStep()
    {
        using var noGrad = torch.no_grad();
        foreach (var p in Parameters)
        {
            p.Gradient?.zero_();
            if (IsMixed)
            {
                computeParameters[p.Name].copy_(p.Master);
            }
        }
    }

    public void Dispose()
    {
        if (IsMixed)
        {
            Compute.Dispose();
            foreach (var buffer in gradientBuffers.Values)
            {
                buffer.Dispose();
            }
        }
    }

    private TrainableParameter CreateTrainable(string name, Tensor parameter)
    {
        var decay = WeightDecayPolicy.Decays(name, parameter.dim());
        if (!IsMixed)
        {
            return new TrainableParameter(name, parameter, decay, () => parameter.grad);
        }

        var buffer = torch.zeros_like(parameter).DetachFromDisposeScope();
        gradientBuffers[name] = buffer;
        return new TrainableParameter(name, parameter, decay, () => buffer);
    }

    private static ClipModel CreateCopy(ClipModel master, ScalarType type)
    {
        var copy = new ClipModel(master.Config);
        copy.to(master.LogitScale.device);
        copy.load_state_dict(master.state_dict());
        copy.to(type);
        return copy;
    }
}
