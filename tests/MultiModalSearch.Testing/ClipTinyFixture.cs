using System.Text.Json;
using MultiModalSearch.Models.Checkpoints;
using static TorchSharp.torch;

namespace MultiModalSearch.Testing;

/// <summary>The clip-tiny golden fixture (tests/fixtures/clip-tiny): reference tensors and inputs.</summary>
public static class ClipTinyFixture
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "fixtures", "clip-tiny");

    public static string ExpectedJsonPath => Path.Combine(Directory, "expected.json");

    public static Tensor Expected(string name)
    {
        using var file = SafetensorsFile.Open(Path.Combine(Directory, "expected.safetensors"));
        return file.ReadTensor(name);
    }

    public static double MaxAbs(string name)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(ExpectedJsonPath));
        return json.RootElement.GetProperty("tensors").GetProperty(name).GetProperty("max_abs").GetDouble();
    }

    public static IReadOnlyList<string> Texts()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(ExpectedJsonPath));
        return json.RootElement.GetProperty("texts").EnumerateArray().Select(t => t.GetString()!).ToList();
    }

    public static IReadOnlyList<string> ImagePaths()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(ExpectedJsonPath));
        return json.RootElement.GetProperty("images").EnumerateArray().Select(t => Path.Combine(Directory, t.GetString()!)).ToList();
    }

    /// <summary>A temporary folder holding config.json and the given weight files of the fixture (symlinked).</summary>
    public static TemporaryDirectory CopyWith(params string[] files)
    {
        var directory = new TemporaryDirectory();
        foreach (var file in files.Prepend("config.json"))
        {
            File.CreateSymbolicLink(Path.Combine(directory.Path, file), Path.Combine(Directory, file));
        }

        return directory;
    }

    /// <summary>Asserts the tolerance the fixture's README states: max |a - e| &lt;= 1e-4 * max(1, max|e|).</summary>
    public static void AssertClose(Tensor expected, Tensor actual, string name)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var diff = (expected.to(ScalarType.Float32).cpu() - actual.to(ScalarType.Float32).cpu()).abs().max();
        var tolerance = 1e-4 * Math.Max(1.0, MaxAbs(name));
        var maxDiff = diff.item<float>();
        Assert.True(maxDiff <= tolerance, $"{name}: max abs diff {maxDiff:G4} exceeds {tolerance:G4}");
    }

    public static double MinRowCosine(Tensor a, Tensor b)
    {
        using var cos = nn.functional.cosine_similarity(a.to(ScalarType.Float32).cpu(), b.to(ScalarType.Float32).cpu(), dim: 1).min();
        return cos.item<float>();
    }
}
