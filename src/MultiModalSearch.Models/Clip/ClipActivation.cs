using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Clip;

/// <summary>The MLP activations CLIP checkpoints name in <c>hidden_act</c>.</summary>
public static class ClipActivation
{
    public static bool IsKnown(string name) => name is "quick_gelu" or "gelu" or "gelu_new" or "gelu_pytorch_tanh";

    public static Tensor Apply(string name, Tensor x) => name switch
    {
        // OpenAI trained with this sigmoid approximation; using exact GELU instead costs ~1e-3 in the embeddings.
        "quick_gelu" => x * torch.sigmoid(x * 1.702),
        "gelu" => nn.functional.gelu(x),
        "gelu_new" or "gelu_pytorch_tanh" => x.gelu(TorchSharp.Modules.GELU.Approximate.tanh),
        _ => throw new ArgumentException($"unsupported hidden_act '{name}'", nameof(name)),
    };
}
