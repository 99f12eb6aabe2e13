using System.Text.Json.Nodes;
using MultiModalSearch.Models.Resolution;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Models;

/// <summary>A model is known by what it is: the same files anywhere give one fingerprint; any real change gives another.</summary>
public sealed class ModelFingerprintTests : IDisposable
{
    private readonly TemporaryDirectory dir = new();
    private readonly string original = ModelFingerprint.Compute(ClipTinyFixture.Directory);

    [Fact]
    public void TheSameModelCopiedElsewhereHasTheSameFingerprint()
    {
        var copy = Copy("copy");

        Assert.Equal(original, ModelFingerprint.Compute(copy));
        Assert.Matches("^[0-9a-f]{64}$", original);
    }

    [Fact]
    public void AConfigResavedWithOtherKeyOrderSpacingAndBookkeepingKeysIsTheSameModel()
    {
        var copy = Copy("resaved");
        var config = Path.Combine(copy, "config.json");
        var json = JsonNode.Parse(File.ReadAllText(config))!.AsObject();
        var reordered = new JsonObject(json.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())))
        {
            ["_name_or_path"] = "/somewhere/else",
            ["transformers_version"] = "9.99",
        };
        File.WriteAllText(config, reordered.ToJsonString(new() { WriteIndented = true }));

        Assert.Equal(original, ModelFingerprint.Compute(copy));
    }

    [Fact]
    public void RetrainedWeightsOfTheSameShapeChangeTheFingerprint()
    {
        var copy = Copy("retrained");
        var weights = Path.Combine(copy, "model.safetensors");
        var bytes = File.ReadAllBytes(weights);
        // One byte near the end of the file: inside the last tensor's final sample, as any retraining changes it.
        bytes[^3] ^= 0x5A;
        File.WriteAllBytes(weights, bytes);

        Assert.NotEqual(original, ModelFingerprint.Compute(copy));
    }

    [Fact]
    public void AnotherConfigurationOrVocabularyChangesTheFingerprint()
    {
        var config = Copy("config");
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(config, "config.json")))!;
        json["logit_scale_init_value"] = 1.0;
        File.WriteAllText(Path.Combine(config, "config.json"), json.ToJsonString());
        var vocabulary = Copy("vocabulary");
        File.AppendAllText(Path.Combine(vocabulary, "merges.txt"), "\nx y");

        Assert.NotEqual(original, ModelFingerprint.Compute(config));
        Assert.NotEqual(original, ModelFingerprint.Compute(vocabulary));
    }

    public void Dispose() => dir.Dispose();

    private string Copy(string name)
    {
        var target = dir.File(name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(ClipTinyFixture.Directory))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }
}
