using MultiModalSearch.Models.Clip;
using MultiModalSearch.Testing;
using MultiModalSearch.Training;
using TorchSharp;

namespace MultiModalSearch.Tests.Training;

/// <summary>A tiny from-scratch CLIP for fast training tests; every instance starts from the same weights.</summary>
internal static class TinyTraining
{
    private static readonly Lock Gate = new();
    private static Dictionary<string, torch.Tensor>? initial;

    public static ClipConfig Config { get; } = new()
    {
        ProjectionDim = 32,
        Text = ClipTextConfig.Default with { HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 2 },
        Vision = ClipVisionConfig.Default with
        {
            HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 2, ImageSize = 16, PatchSize = 4,
        },
    };

    public static TrainingOptions Options { get; } = new()
    {
        Epochs = 6, BatchSize = 6, LearningRate = 3e-3, WarmupSteps = 4, Seed = 7,
        Optimizer = new() { WeightDecay = 0.1 },
    };

    /// <summary>HF-initialised weights drawn once from a seeded generator, then copied, so tests sharing the process's
    /// global RNG cannot change them.</summary>
    public static ClipModel CreateModel()
    {
        var model = new ClipModel(Config);
        lock (Gate)
        {
            if (initial is null)
            {
                torch.manual_seed(1234);
                ClipInitializer.Initialize(model);
                initial = model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope());
            }
        }

        model.load_state_dict(initial);
        return model;
    }
}
