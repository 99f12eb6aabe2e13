using System.Text.Json;
using MultiModalSearch.Models.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Clip;

/// <summary>
/// The weight files of a CLIP checkpoint folder: Hugging Face <c>model.safetensors</c> (single or sharded through
/// <c>model.safetensors.index.json</c>) or OpenAI/OpenCLIP <c>open_clip_model.safetensors</c>, indexed by Hugging Face key.
/// </summary>
public sealed class ClipCheckpoint : IDisposable
{
    private const int MaxNamesInMessage = 12;
    private readonly List<SafetensorsFile> files;

    private ClipCheckpoint(string directory, List<SafetensorsFile> files, Dictionary<string, CheckpointTensor> tensors, List<string> unknown, bool openAiLayout)
    {
        Directory = directory;
        this.files = files;
        Tensors = tensors;
        UnknownKeys = unknown;
        IsOpenAiLayout = openAiLayout;
    }

    public string Directory { get; }

    /// <summary>Stored tensors by the Hugging Face key they load into.</summary>
    public IReadOnlyDictionary<string, CheckpointTensor> Tensors { get; }

    /// <summary>Stored keys that map onto nothing the model has.</summary>
    public IReadOnlyList<string> UnknownKeys { get; }

    public bool IsOpenAiLayout { get; }

    /// <summary>The weight files a folder may hold, in the order we look for them.</summary>
    public static IReadOnlyList<string> WeightFileNames { get; } = ["model.safetensors", "model.safetensors.index.json", "open_clip_model.safetensors"];

    public static bool HasWeights(string directory) => WeightFileNames.Any(f => File.Exists(Path.Combine(directory, f)));

    public static ClipCheckpoint Open(string directory)
    {
        var paths = WeightPaths(directory);
        var files = new List<SafetensorsFile>();
        try
        {
            foreach (var path in paths)
            {
                files.Add(SafetensorsFile.Open(path));
            }

            var allKeys = files.SelectMany(f => f.Entries.Keys).ToList();
            var openAi = OpenAiClipKeyMap.IsOpenAiLayout(allKeys);
            var tensors = new Dictionary<string, CheckpointTensor>(StringComparer.Ordinal);
            var unknown = new List<string>();
            foreach (var file in files)
            {
                foreach (var entry in file.Entries.Values)
                {
                    AddEntry(file, entry, openAi, tensors, unknown);
                }
            }

            return new ClipCheckpoint(directory, files, tensors, unknown, openAi);
        }
        catch
        {
            files.ForEach(f => f.Dispose());
            throw;
        }
    }

    /// <summary>
    /// Copies every parameter of <paramref name="model"/> from the checkpoint. Refuses, naming them, any missing,
    /// unexpected or wrongly shaped tensors before touching a single weight.
    /// </summary>
    public void LoadInto(nn.Module model)
    {
        var parameters = model.state_dict();
        Validate(parameters);
        using var noGrad = torch.no_grad();
        foreach (var (key, parameter) in parameters)
        {
            Tensors[key].CopyTo(parameter);
        }
    }

    public void Dispose() => files.ForEach(f => f.Dispose());

    private void Validate(Dictionary<string, Tensor> parameters)
    {
        var missing = parameters.Keys.Where(k => !Tensors.ContainsKey(k)).ToList();
        var unexpected = UnknownKeys.Concat(Tensors.Keys.Where(k => !parameters.ContainsKey(k))).ToList();
        var wrongShape = parameters
            .Where(p => Tensors.TryGetValue(p.Key, out var t) && !t.TargetShape.SequenceEqual(p.Value.shape))
            .Select(p => $"{p.Key}: checkpoint {Tensors[p.Key].Describe()} gives [{string.Join(", ", Tensors[p.Key].TargetShape)}], model expects [{string.Join(", ", p.Value.shape)}]")
            .ToList();
        if (missing.Count + unexpected.Count + wrongShape.Count == 0)
        {
            return;
        }

        var parts = new List<string>();
        AddPart(parts, "missing", missing);
        AddPart(parts, "unexpected", unexpected);
        AddPart(parts, "wrong shape", wrongShape);
        throw new CheckpointMismatchException(
            $"checkpoint in {Directory} does not match its config.json: {string.Join("; ", parts)}");
    }

    private static void AddPart(List<string> parts, string label, List<string> names)
    {
        if (names.Count == 0)
        {
            return;
        }

        var shown = string.Join(", ", names.Take(MaxNamesInMessage));
        parts.Add($"{names.Count} {label} ({shown}{(names.Count > MaxNamesInMessage ? ", ..." : "")})");
    }

    private static void AddEntry(SafetensorsFile file, SafetensorsEntry entry, bool openAi, Dictionary<string, CheckpointTensor> tensors, List<string> unknown)
    {
        if (OpenAiClipKeyMap.IsIgnorable(entry.Name))
        {
            return;
        }

        if (!openAi)
        {
            tensors[entry.Name] = new CheckpointTensor(file, entry, TensorTransform.Identity);
            return;
        }

        var targets = OpenAiClipKeyMap.Map(entry.Name);
        if (targets.Count == 0)
        {
            unknown.Add(entry.Name);
        }

        foreach (var (key, transform) in targets)
        {
            tensors[key] = new CheckpointTensor(file, entry, transform);
        }
    }

    private static List<string> WeightPaths(string directory)
    {
        var single = Path.Combine(directory, "model.safetensors");
        if (File.Exists(single))
        {
            return [single];
        }

        var index = Path.Combine(directory, "model.safetensors.index.json");
        if (File.Exists(index))
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(index));
            return json.RootElement.GetProperty("weight_map").EnumerateObject()
                .Select(p => p.Value.GetString()!).Distinct().Order(StringComparer.Ordinal)
                .Select(f => Path.Combine(directory, f)).ToList();
        }

        var openClip = Path.Combine(directory, "open_clip_model.safetensors");
        if (File.Exists(openClip))
        {
            return [openClip];
        }

        var pickle = new[] { "pytorch_model.bin", "open_clip_pytorch_model.bin" }.FirstOrDefault(f => File.Exists(Path.Combine(directory, f)));
        throw new FileNotFoundException(pickle is null
            ? $"no weights in {directory}: expected one of {string.Join(", ", WeightFileNames)}"
            : $"{directory} has only {pickle} (pickled PyTorch weights, which can run code when loaded); use the repository's model.safetensors instead");
    }
}
