using static TorchSharp.torch;

namespace MultiModalSearch.Training.Llava;

/// <summary>Everything <c>mms train-llava</c> needs: image/answer data, the CLIP vision tower, the output folder and hyper-parameters.</summary>
public sealed record LlavaTrainingJob
{
    /// <summary>Training images with captions (a folder, .jsonl or .csv manifest); each image's first caption is its answer.</summary>
    public required string Data { get; init; }

    /// <summary>Held-out images answered after training (optional); the result is written to <c>eval.json</c>.</summary>
    public string? EvalData { get; init; }

    /// <summary>A CLIP model folder whose vision tower (and image preprocessing) the LLaVA model takes over, frozen.</summary>
    public required string Vision { get; init; }

    /// <summary>The Hugging Face LLaVA folder written.</summary>
    public required string Output { get; init; }

    /// <summary>Precision of the saved model.safetensors (Float32, Float16 or BFloat16).</summary>
    public ScalarType SaveDType { get; init; } = ScalarType.Float32;

    public LlavaTrainingOptions Options { get; init; } = new();
}
