using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Bert;

/// <summary>The feed-forward activations BERT checkpoints name in <c>hidden_act</c>.</summary>
public static class BertActivation
{
    public const string KnownNames = "gelu, gelu_new, gelu_pytorch_tanh, gelu_fast, relu, silu or swish";

    public static bool IsKnown(string name) => name is "gelu" or "gelu_new" or "gelu_pytorch_tanh" or "gelu_fast" or "relu" or "silu" or "swish";

    public static Tensor Apply(string name, Tensor x) => name switch
    {
        // The original BERT's exact GELU (erf); the tanh form differs by up to ~1e-3 and is a different model.
        "gelu" => nn.functional.gelu(x),
        "gelu_new" or "gelu_pytorch_tanh" or "gelu_fast" => x.gelu(TorchSharp.Modules.GELU.Approximate.tanh),
        "relu" => nn.functional.relu(x),
        "silu" or "swish" => nn.functional.silu(x),
        _ => throw new ArgumentException($"unsupported hidden_act '{name}'", nameof(name)),
    };
}
