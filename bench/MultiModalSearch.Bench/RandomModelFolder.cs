using System.Diagnostics;
using MultiModalSearch.Models.Checkpoints;
using MultiModalSearch.Models.Clip;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;
using TorchSharp;

namespace MultiModalSearch.Bench;

/// <summary>
/// `bench make-model`: a checkpoint folder with random weights of a published architecture, so that the CLI and
/// <see cref="ClipSession"/> run the real model's cost without downloading it. Idempotent: a complete folder is kept.
/// </summary>
internal sealed class RandomModelFolder(BenchPaths paths, string configPath, string directory)
{
    private static readonly string[] TokenizerFiles = ["vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"];

    // OpenAI CLIP's CLIPImageProcessor settings (the published ViT-B/32 preprocessor_config.json).
    private const string PreprocessorConfig = """
        {
          "image_processor_type": "CLIPImageProcessor",
          "do_resize": true,
          "size": { "shortest_edge": 224 },
          "resample": 3,
          "do_center_crop": true,
          "crop_size": { "height": 224, "width": 224 },
          "do_rescale": true,
          "rescale_factor": 0.00392156862745098,
          "do_normalize": true,
          "image_mean": [0.48145466, 0.4578275, 0.40821073],
          "image_std": [0.26862954, 0.26130258, 0.27577711],
          "do_convert_rgb": true
        }
        """;

    public void Run()
    {
        var weights = Path.Combine(directory, "model.safetensors");
        var existed = File.Exists(weights);
        if (!existed)
        {
            Write(weights);
        }

        // Loading it is the check that matters: the folder must be what the CLI's --model accepts.
        var clock = Stopwatch.StartNew();
        using var session = ClipSession.Open(directory, ComputeOptions.Cpu);
        var loadSeconds = clock.Elapsed.TotalSeconds;
        BenchReport.PrintGrid("Random-weight model folder", ["item", "value"],
        [
            ["folder", directory],
            ["state", existed ? "existed (kept)" : "written"],
            ["model.safetensors", $"{new FileInfo(weights).Length / 1048576.0:F1} MiB"],
            ["embedding dimension", session.Dimension.ToString()],
            ["ClipSession.Open (fp32, cpu)", $"{loadSeconds:F2} s"],
        ], [$"config {configPath}; tokenizer files from {paths.TinyModel}"]);
    }

    /// <summary>Everything but the weights first: the weights file appears last (by rename), so its presence means complete.</summary>
    private void Write(string weights)
    {
        Directory.CreateDirectory(directory);
        var config = ClipConfig.Load(configPath);
        File.WriteAllText(Path.Combine(directory, "config.json"), config.ToJson());
        File.WriteAllText(Path.Combine(directory, "preprocessor_config.json"), PreprocessorConfig);
        foreach (var file in TokenizerFiles)
        {
            File.Copy(Path.Combine(paths.TinyModel, file), Path.Combine(directory, file), overwrite: true);
        }

        torch.manual_seed(20261123); // the same weights as BenchModels.Embedder, so figures compare across modes
        using var model = new ClipModel(config);
        SafetensorsWriter.Write(weights, model.state_dict());
    }
}
