using MultiModalSearch.Models.Compute;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Llama;

/// <summary>The SwiGLU feed-forward block (LlamaMLP): <c>down_proj(silu(gate_proj(x)) * up_proj(x))</c>.</summary>
public sealed class LlamaMlp : Module<Tensor, Tensor>
{
    private readonly Linear gate_proj;
    private readonly Linear up_proj;
    private readonly Linear down_proj;

    public LlamaMlp(LlamaConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(LlamaMlp))
    {
        gate_proj = Linear(config.HiddenSize, config.IntermediateSize, hasBias: config.MlpBias, device: device, dtype: dtype);
        up_proj = Linear(config.HiddenSize, config.IntermediateSize, hasBias: config.MlpBias, device: device, dtype: dtype);
        down_proj = Linear(config.IntermediateSize, config.HiddenSize, hasBias: config.MlpBias, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden_states)
    {
        using var scope = NewDisposeScope();
        var gate = nn.functional.silu(SingleRowLinear.Forward(gate_proj, hidden_states));
        var up = SingleRowLinear.Forward(up_proj, hidden_states);
        return SingleRowLinear.Forward(down_proj, gate * up).MoveToOuterDisposeScope();
    }
}
