using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Llama;

/// <summary>
/// Root-mean-square norm (LlamaRMSNorm): <c>weight * x * rsqrt(mean(x^2) + eps)</c>. The statistics are taken in
/// float32 whatever the compute dtype, then the normalised values go back to it before the weight, as the reference does.
/// </summary>
public sealed class LlamaRmsNorm : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double eps;

    public LlamaRmsNorm(long hiddenSize, double eps, Device? device = null, ScalarType? dtype = null) : base(nameof(LlamaRmsNorm))
    {
        weight = new Parameter(torch.ones(hiddenSize, dtype: dtype, device: device));
        this.eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden_states)
    {
        using var scope = NewDisposeScope();
        var inputType = hidden_states.dtype;
        var x = hidden_states.to(ScalarType.Float32);
        var variance = x.pow(2).mean([-1], keepdim: true);
        x = x * torch.rsqrt(variance + eps);
        return (weight * x.to(inputType)).MoveToOuterDisposeScope();
    }
}
