using System.Text.Json;
using MultiModalSearch.Models.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Checkpoints;

/// <summary>
/// The weight files of a checkpoint folder (<c>model.safetensors</c>, or shards listed in
/// <c>model.safetensors.index.json</c>, or an architecture's own file name), indexed by the key each tensor loads into.
/// The architecture's <see cref="ICheckpointKeyMap"/> turns stored keys into our module names, so one loader serves
/// every model: loading is a mapping, validated as a whole before any weight is copied.
/// </summary>
public sealed class Checkpoint : IDisposable
{
    private const int MaxNamesInMessage = 12;
    private readonly List<SafetensorsFile> files;

    private Checkpoint(string directory, List<SafetensorsFile> files, Dictionary<string, CheckpointTensor> tensors, List<string> unknown, ICheckpointKeyMap keyMap)
    {
        Directory = directory;
        this.files = files;
        Tensors = tensors;
        UnknownKeys = unknown;
        KeyMap = keyMap;
    }

    public string Directory { get; }

    /// <summary>Stored tensors by the module key they load into.</summary>
    public IReadOnlyDictionary<string, CheckpointTensor> Tensors { get; }

    /// <summary>Stored keys that map onto nothing the model has.</summary>
    public IReadOnlyList<string> UnknownKeys { get; }

    /// <summary>The map the stored keys were read with (e.g. the OpenAI layout's, or a prefix rename).</summary>
    public ICheckpointKeyMap KeyMap { get; }

    /// <summary>The standard Hugging Face weight files, in the order we look for them.</summary>
    public static IReadOnlyList<string> StandardWeightFileNames { get; } = ["model.safetensors", "model.safetensors.index.json"];

    /// <summary>
    /// Opens the weights in <paramref name="directory"/>: the standard files, else the first of
    /// <paramref name="alternativeFileNames"/> present. <paramref name="chooseKeyMap"/> sees every stored key and picks the
    /// map for this layout.
    /// </summary>
    public static Checkpoint Open(string directory, Func<IReadOnlyCollection<string>, ICheckpointKeyMap> chooseKeyMap, IReadOnlyList<string>? alternativeFileNames = null)
    {
        var paths = WeightPaths(directory, alternativeFileNames ?? []);
        var files = new List<SafetensorsFile>();
        try
        {
            foreach (var path in paths)
            {
                files.Add(SafetensorsFile.Open(path));
            }

            var keyMap = chooseKeyMap(files.SelectMany(f => f.Entries.Keys).ToList());
            var tensors = new Dictionary<string, CheckpointTensor>(StringComparer.Ordinal);
            var unknown = new List<string>();
            foreach (var file in files)
            {
                foreach (var entry in file.Entries.Values)
                {
                    AddEntry(file, entry, keyMap, tensors, unknown);
                }
            }

            return new Checkpoint(directory, files, tensors, unknown, keyMap);
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

    private static void AddEntry(SafetensorsFile file, SafetensorsEntry entry, ICheckpointKeyMap keyMap, Dictionary<string, CheckpointTensor> tensors, List<string> unknown)
    {
        if (keyMap.IsIgnorable(entry.Name))
        {
            return;
        }

        var targets = keyMap.Map(entry.Name);
        if (targets.Count == 0)
        {
            unknown.Add(entry.Name);
        }

        foreach (var (key, transform) in targets)
        {
            tensors[key] = new CheckpointTensor(file, entry, transform);
        }
    }

    private static List<string> WeightPaths(string directory, IReadOnlyList<string> alternativeFileNames)
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

        var alternative = alternativeFileNames.Select(f => Path.Combine(directory, f)).FirstOrDefault(File.Exists);
        if (alternative is not null)
        {
            return [alternative];
        }

        var pickle = System.IO.Directory.EnumerateFiles(directory, "*.bin").Select(Path.GetFileName).Order(StringComparer.Ordinal).FirstOrDefault();
        throw new FileNotFoundException(pickle is null
            ? $"no weights in {directory}: expected one of {string.Join(", ", [.. StandardWeightFileNames, .. alternativeFileNames])}"
            : $"{directory} has only {pickle} (pickled PyTorch weights, which can run code when loaded); use the repository's model.safetensors instead");
    }
}
