using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MultiModalSearch.Models.Clip;

/// <summary>Patch convolution, class token and learned positions (CLIPVisionEmbeddings).</summary>
public sealed class ClipVisionEmbeddings : Module<Tensor, Tensor>
{
    private readonly Parameter class_embedding;
    private readonly Conv2d patch_embedding;
    private readonly Embedding position_embedding;

    public ClipVisionEmbeddings(ClipVisionConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(ClipVisionEmbeddings))
    {
        class_embedding = new Parameter(torch.randn(config.HiddenSize, dtype: dtype, device: device) * Math.Pow(config.HiddenSize, -0.5));
        patch_embedding = Conv2d(config.NumChannels, config.HiddenSize, config.PatchSize, stride: config.PatchSize, bias: false, device: device, dtype: dtype);
        position_embedding = Embedding(config.NumPositions, config.HiddenSize, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor pixel_values)
    {
        using var scope = NewDisposeScope();
        var batch = pixel_values.shape[0];
        // [batch, 3, size, size] -> [batch, width, grid, grid] -> [batch, grid*grid, width]
        var patches = patch_embedding.call(pixel_values).flatten(2).transpose(1, 2);
        var classToken = class_embedding.to(patches.dtype).expand(batch, 1, -1);
        // [batch, 1 + grid*grid, width]
        var embeddings = torch.cat([classToken, patches], dim: 1) + position_embedding.weight!.to(patches.dtype);
        return embeddings.MoveToOuterDisposeScope();
    }
}
