using System.Text.Json;
using MultiModalSearch.Imaging;
using MultiModalSearch.Models.Checkpoints;
using MultiModalSearch.Models.Clip;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Training;

/// <summary>Writes a trained model as a Hugging Face CLIPModel folder that <see cref="ClipModelLoader"/> (and transformers) load.</summary>
public static class ModelFolderWriter
{
    /// <summary>Hugging Face tokenizer files, copied when present.</summary>
    private static readonly string[] TokenizerFiles = ["vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.json"];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly double[] ClipMean = [0.48145466, 0.4578275, 0.40821073];
    private static readonly double[] ClipStd = [0.26862954, 0.26130258, 0.27577711];

    private const string OpenAiVocabulary = "bpe_simple_vocab_16e6.txt.gz";

    /// <summary>
    /// config.json, preprocessor_config.json (copied from <paramref name="assetSource"/> when its crop matches the
    /// config's image size, else CLIP's settings scaled to that size) and the tokenizer files of <paramref name="assetSource"/>: everything but the weights.
    /// </summary>
    public static void WriteAssets(string directory, ClipConfig config, string assetSource)
    {
        Directory.CreateDirectory(directory);
        CopyTokenizer(assetSource, directory);
        var preprocessor = Path.Combine(assetSource, "preprocessor_config.json");
        var target = Path.Combine(directory, "preprocessor_config.json");
        if (File.Exists(preprocessor) && ImagePreprocessorConfig.Load(preprocessor).CropHeight == config.Vision.ImageSize)
        {
            CopyUnlessSame(preprocessor, target);
        }
        else
        {
            File.WriteAllText(target, PreprocessorJson(config.Vision.ImageSize));
        }

        File.WriteAllText(Path.Combine(directory, "config.json"), config.ToJson());
    }

    /// <summary>model.safetensors with HF keys; <paramref name="dtype"/> Float16 halves the file at ~1e-3 embedding error.</summary>
    public static void WriteWeights(string directory, ClipModel model, ScalarType dtype = ScalarType.Float32)
    {
        using var scope = torch.NewDisposeScope();
        var tensors = model.state_dict().Select(p => KeyValuePair.Create(p.Key, p.Value.detach().to(dtype).cpu()));
        var metadata = new Dictionary<string, string> { ["format"] = "pt" };
        SafetensorsWriter.Write(Path.Combine(directory, "model.safetensors"), tensors, metadata);
    }

    /// <summary>The CLIPImageProcessor settings OpenAI's models use, scaled to <paramref name="imageSize"/>.</summary>
    public static string PreprocessorJson(int imageSize) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["image_processor_type"] = "CLIPImageProcessor",
        ["do_resize"] = true,
        ["size"] = new Dictionary<string, int> { ["shortest_edge"] = imageSize },
        ["resample"] = 3,
        ["do_center_crop"] = true,
        ["crop_size"] = new Dictionary<string, int> { ["height"] = imageSize, ["width"] = imageSize },
        ["do_rescale"] = true,
        ["rescale_factor"] = 1.0 / 255,
        ["do_normalize"] = true,
        ["image_mean"] = ClipMean,
        ["image_std"] = ClipStd,
        ["do_convert_rgb"] = true,
    }, Indented);

    private static void CopyTokenizer(string source, string directory)
    {
        var found = TokenizerFiles.Where(f => File.Exists(Path.Combine(source, f))).ToList();
        if (!found.Contains("vocab.json") || !found.Contains("merges.txt"))
        {
            // OpenAI's single-file vocabulary is what open_clip folders carry instead.
            found.Add(OpenAiVocabulary);
        }

        foreach (var file in found)
        {
            var from = Path.Combine(source, file);
            if (!File.Exists(from))
            {
                throw new FileNotFoundException(
                    $"no CLIP tokenizer in {source} (vocab.json + merges.txt or {OpenAiVocabulary}); give a tokenizer folder that has one", from);
            }

            CopyUnlessSame(from, Path.Combine(directory, file));
        }
    }

    private static void CopyUnlessSame(string from, string to)
    {
        if (Path.GetFullPath(from) != Path.GetFullPath(to))
        {
            File.Copy(from, to, overwrite: true);
        }
    }
}
