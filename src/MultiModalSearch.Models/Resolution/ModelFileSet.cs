using System.Text.Json;
using MultiModalSearch.Models.Checkpoints;
using MultiModalSearch.Models.Hub;

namespace MultiModalSearch.Models.Resolution;

/// <summary>
/// Which files make a usable checkpoint of one <see cref="ModelKind"/>, and whether a folder or cached snapshot has
/// them. The kind comes from <c>config.json</c> (and, for BERT, <c>modules.json</c>), so a downloader fetches those
/// first and then this kind's files.
/// </summary>
internal sealed class ModelFileSet
{
    public const string Config = ModelKindDetector.ConfigFileName;
    public const string Modules = ModelKindDetector.ModulesFileName;
    public const string Safetensors = "model.safetensors";
    public const string ShardIndex = "model.safetensors.index.json";
    public const string OpenClipSafetensors = "open_clip_model.safetensors";

    /// <summary>Pickle checkpoints can execute code when loaded, so they are reported but never downloaded.</summary>
    public static readonly IReadOnlyList<string> PickleWeights = ["pytorch_model.bin", "open_clip_pytorch_model.bin"];

    private static readonly string[] WordPieceVocabulary = ["vocab.txt", "tokenizer.json"];
    private static readonly string[] ImageProcessor = ["preprocessor_config.json", "processor_config.json"];
    private static readonly string[] TokenizerSettings = ["tokenizer_config.json", "special_tokens_map.json"];

    private static readonly Dictionary<ModelKind, ModelFileSet> Sets = new()
    {
        // The model, image preprocessing and BPE tokenizer cannot be built without these; the tokenizer has sane
        // defaults without its settings.
        [ModelKind.Clip] = new(ModelKind.Clip, [["preprocessor_config.json"], ["vocab.json"], ["merges.txt"]], TokenizerSettings),
        [ModelKind.ChineseClip] = new(ModelKind.ChineseClip, [WordPieceVocabulary, ImageProcessor], TokenizerSettings),
        [ModelKind.SentenceEmbedder] = new(ModelKind.SentenceEmbedder, [WordPieceVocabulary],
            [.. TokenizerSettings, Modules, "sentence_bert_config.json", "config_sentence_transformers.json"]),
        [ModelKind.CrossEncoder] = new(ModelKind.CrossEncoder, [WordPieceVocabulary], [.. TokenizerSettings, "sentence_bert_config.json"]),
        [ModelKind.Llava] = new(ModelKind.Llava, [["tokenizer.model"], ImageProcessor],
            [.. TokenizerSettings, "tokenizer.json", "added_tokens.json", "chat_template.json", "chat_template.jinja", "generation_config.json"]),
    };

    private ModelFileSet(ModelKind kind, IReadOnlyList<IReadOnlyList<string>> required, IReadOnlyList<string> optional)
    {
        Kind = kind;
        Required = required;
        Optional = optional;
    }

    public ModelKind Kind { get; }

    /// <summary>Needed besides config.json and the weights: each entry lists alternatives, of which at least one must
    /// exist; every alternative that exists is taken (e.g. <c>vocab.txt</c> and <c>tokenizer.json</c>).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Required { get; }

    /// <summary>Taken when present.</summary>
    public IReadOnlyList<string> Optional { get; }

    /// <summary>What a user must fetch by hand when the Hub is out of reach.</summary>
    public string ManualDownloadList => string.Join(", ", [Config, Safetensors, .. Required.Select(g => string.Join(" or ", g))]);

    /// <summary>Before config.json is known the default model's kind is assumed.</summary>
    public static ModelFileSet Default => Sets[ModelKind.Clip];

    public static ModelFileSet For(ModelKind kind) => Sets[kind];

    /// <summary>
    /// Files the sentence-transformers modules in <paramref name="modulesJson"/> keep in their own folders (the pooling
    /// settings in <c>1_Pooling/config.json</c>, ...). Unreadable module lists yield nothing here; the embedder that
    /// reads them reports the problem.
    /// </summary>
    public static IReadOnlyList<string> ModuleFiles(string modulesJson)
    {
        try
        {
            using var document = JsonDocument.Parse(modulesJson);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                return [];
            return document.RootElement.EnumerateArray()
                .Where(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String)
                .Select(m => m.GetProperty("path").GetString()!.Trim('/'))
                .Where(IsSafeRelativePath)
                .Select(path => path + "/" + Config)
                .Distinct(StringComparer.Ordinal)
                .ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>
    /// A local folder passed as --model needs a config.json naming a supported model and safetensors weights; the
    /// tokenizer and preprocessing files are checked by the code that reads them (CLIP has two tokenizer layouts).
    /// </summary>
    public static string? DescribeLocalFolderProblem(string folder)
    {
        var exists = (string name) => File.Exists(Path.Combine(folder, name));
        var missing = new List<string>();
        if (!exists(Config))
            missing.Add(Config);
        var weightsProblem = DescribeWeightsProblem(exists, name => File.ReadAllText(Path.Combine(folder, name)));
        if (weightsProblem is not null)
            missing.Add(weightsProblem);
        if (missing.Count > 0)
            return $"Model folder '{folder}' is missing {string.Join(" and ", missing)}{DescribePickles(folder)}.";
        try
        {
            _ = ModelKindDetector.Detect(folder);
            return null;
        }
        catch (UnsupportedModelException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// The kind of the snapshot's config.json, or null while that cannot be told yet: no config.json, or a BERT config
    /// whose modules.json has not been looked for (<paramref name="strict"/>: neither present nor known to be absent).
    /// </summary>
    /// <exception cref="UnsupportedModelException">config.json names a model this program does not run.</exception>
    public static ModelKind? SnapshotKind(HubCacheLayout cache, string commit, bool strict)
    {
        if (!cache.HasSnapshotFile(commit, Config))
            return null;
        var path = cache.SnapshotFile(commit, Config);
        var config = File.ReadAllText(path);
        var hasModules = cache.HasSnapshotFile(commit, Modules);
        if (strict && !hasModules && ModelKindDetector.NeedsModulesJson(config, path) && !cache.IsMarkedMissing(commit, Modules))
            return null;
        return ModelKindDetector.Detect(config, hasModules, path);
    }

    /// <summary>True when the snapshot holds everything needed; <paramref name="strict"/> also wants every optional
    /// file and every preferred weights file either present or known to be absent, so no question to the Hub remains.</summary>
    public static bool IsSnapshotComplete(HubCacheLayout cache, string commit, bool strict)
    {
        ModelKind? kind;
        try
        {
            kind = SnapshotKind(cache, commit, strict);
        }
        catch (UnsupportedModelException)
        {
            return false;
        }

        return kind is not null && For(kind.Value).IsCompleteIn(cache, commit, strict);
    }

    /// <summary>The optional files to take for this kind once config.json (and modules.json) are in the snapshot.</summary>
    public IReadOnlyList<string> OptionalIn(HubCacheLayout cache, string commit) =>
        Kind == ModelKind.SentenceEmbedder && cache.HasSnapshotFile(commit, Modules)
            ? [.. Optional, .. ModuleFiles(File.ReadAllText(cache.SnapshotFile(commit, Modules)))]
            : Optional;

    private bool IsCompleteIn(HubCacheLayout cache, string commit, bool strict)
    {
        var has = (string name) => cache.HasSnapshotFile(commit, name);
        var settled = (string name) => has(name) || cache.IsMarkedMissing(commit, name);
        if (!Required.All(group => group.Any(has)))
            return false;
        if (strict && !(Required.All(group => group.All(settled)) && OptionalIn(cache, commit).All(settled)))
            return false;
        if (has(Safetensors))
            return true;
        if (strict && !cache.IsMarkedMissing(commit, Safetensors))
            return false;
        if (has(ShardIndex))
            return ShardsPresent(cache, commit);
        if (strict && !cache.IsMarkedMissing(commit, ShardIndex))
            return false;
        return has(OpenClipSafetensors);
    }

    private static bool IsSafeRelativePath(string path) =>
        path.Length > 0 && !path.Contains('\\', StringComparison.Ordinal) && path.Split('/').All(p => p is not ("" or "." or ".."));

    private static bool ShardsPresent(HubCacheLayout cache, string commit)
    {
        try
        {
            var index = File.ReadAllText(cache.SnapshotFile(commit, ShardIndex));
            return ShardIndexFile.ShardNames(index).All(shard => cache.HasSnapshotFile(commit, shard));
        }
        catch (Exception e) when (e is IOException or FormatException or ArgumentException)
        {
            return false;
        }
    }

    private static string? DescribeWeightsProblem(Func<string, bool> exists, Func<string, string> read)
    {
        if (exists(Safetensors) || exists(OpenClipSafetensors))
            return null;
        if (!exists(ShardIndex))
            return $"weights ({Safetensors}, {ShardIndex} with its shards, or {OpenClipSafetensors})";
        try
        {
            var absent = ShardIndexFile.ShardNames(read(ShardIndex)).Where(s => !exists(s)).ToList();
            return absent.Count == 0 ? null : $"the weight shards {string.Join(", ", absent)} named in {ShardIndex}";
        }
        catch (FormatException e)
        {
            return $"a readable {ShardIndex} ({e.Message})";
        }
    }

    private static string DescribePickles(string folder)
    {
        var pickles = Directory.EnumerateFiles(folder)
            .Select(Path.GetFileName)
            .Where(n => n!.EndsWith(".bin", StringComparison.OrdinalIgnoreCase)
                        || n.EndsWith(".pt", StringComparison.OrdinalIgnoreCase)
                        || n.EndsWith(".pth", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        return pickles.Count == 0
            ? ""
            : $" (it has {string.Join(", ", pickles)}: pickle weights are never loaded because they can run code; convert them to safetensors)";
    }
}
