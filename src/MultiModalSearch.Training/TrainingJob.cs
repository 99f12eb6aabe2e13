using static TorchSharp.torch;

namespace MultiModalSearch.Training;

/// <summary>Everything <c>mms train</c> needs: data, starting point, output folder and hyper-parameters.</summary>
public sealed record TrainingJob
{
    /// <summary>Training pairs: a sidecar-caption folder, .jsonl or .csv manifest.</summary>
    public required string Data { get; init; }

    /// <summary>Held-out pairs evaluated at each epoch end (optional).</summary>
    public string? EvalData { get; init; }

    /// <summary>A model folder to fine-tune, or a config.json to train from scratch (HF initialisation).</summary>
    public required string Init { get; init; }

    /// <summary>Where tokenizer files (and preprocessor_config.json) come from; default: the init folder / the config's folder.</summary>
    public string? Tokenizer { get; init; }

    /// <summary>The Hugging Face layout result folder; its <c>checkpoint/</c> subfolder holds the resumable state.</summary>
    public required string Output { get; init; }

    public bool Resume { get; init; }

    /// <summary>Precision of the saved model.safetensors (Float32 or Float16).</summary>
    public ScalarType SaveDType { get; init; } = ScalarType.Float32;

    public TrainingOptions Options { get; init; } = new();

    public string CheckpointDirectory => Path.Combine(Output, "checkpoint");

    public bool InitIsConfig => File.Exists(Init) && Init.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    public string AssetSource => Tokenizer ?? (InitIsConfig ? Path.GetDirectoryName(Path.GetFullPath(Init))! : Init);
}
