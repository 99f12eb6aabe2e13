using MultiModalSearch.Models.Checkpoints;
using MultiModalSearch.Models.Hub;

namespace MultiModalSearch.Models.Resolution;

/// <summary>Which files make a usable CLIP checkpoint, and whether a folder has them.</summary>
internal static class ModelFileSet
{
    public const string Config = "config.json";
    public const string Safetensors = "model.safetensors";
    public const string ShardIndex = "model.safetensors.index.json";
    public const string OpenClipSafetensors = "open_clip_model.safetensors";

    /// <summary>Needed besides the weights: the model, image preprocessing and BPE tokenizer cannot be built without them.</summary>
    public static readonly IReadOnlyList<string> Required = [Config, "preprocessor_config.json", "vocab.json", "merges.txt"];

    /// <summary>Taken when present; the tokenizer has sane defaults without them.</summary>
    public static readonly IReadOnlyList<string> Optional = ["tokenizer_config.json", "special_tokens_map.json"];

    /// <summary>Pickle checkpoints can execute code when loaded, so they are reported but never downloaded.</summary>
    public static readonly IReadOnlyList<string> PickleWeights = ["pytorch_model.bin", "open_clip_pytorch_model.bin"];

    /// <summary>What a user must fetch by hand when the Hub is out of reach.</summary>
    public static string ManualDownloadList => string.Join(", ", [Config, Safetensors, .. Required.Skip(1)]);

    /// <summary>A local folder passed as --model needs a config.json and safetensors weights; anything else fails later anyway.</summary>
    public static string? DescribeLocalFolderProblem(string folder)
    {
        var exists = (string name) => File.Exists(Path.Combine(folder, name));
        var missing = new List<string>();
        if (!exists(Config))
            missing.Add(Config);
        var weightsProblem = DescribeWeightsProblem(exists, name => File.ReadAllText(Path.Combine(folder, name)));
        if (weightsProblem is not null)
            missing.Add(weightsProblem);
        if (missing.Count == 0)
            return null;
        return $"Model folder '{folder}' is missing {string.Join(" and ", missing)}{DescribePickles(folder)}.";
    }

    /// <summary>True when the snapshot holds everything needed; <paramref name="strict"/> also wants every optional
    /// file and every preferred weights file either present or known to be absent, so no question to the Hub remains.</summary>
    public static bool IsSnapshotComplete(HubCacheLayout cache, string commit, bool strict)
    {
        var has = (string name) => cache.HasSnapshotFile(commit, name);
        var settled = (string name) => has(name) || cache.IsMarkedMissing(commit, name);
        if (!Required.All(has))
            return false;
        if (strict && !Optional.All(settled))
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
