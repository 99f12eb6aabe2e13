using System.Text.Json;
using MultiModalSearch.Models.Checkpoints;
using static TorchSharp.torch;

namespace MultiModalSearch.Testing;

/// <summary>
/// A golden fixture of a text model (tests/fixtures/bert-tiny, tests/fixtures/chinese-clip-tiny): reference tensors,
/// inputs and the README's tolerance.
/// </summary>
public sealed class TextModelFixture
{
    private readonly Lazy<JsonDocument> json;

    private TextModelFixture(string name)
    {
        Directory = Path.Combine(AppContext.BaseDirectory, "fixtures", name);
        json = new Lazy<JsonDocument>(() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory, "expected.json"))));
    }

    /// <summary>bert-tiny: a sentence-transformers embedder (CLS pooling, normalised, max_seq_length 64), with a
    /// cross-encoder in <c>reranker/</c>.</summary>
    public static TextModelFixture BertTiny { get; } = new("bert-tiny");

    /// <summary>chinese-clip-tiny: a ChineseCLIPModel with its images.</summary>
    public static TextModelFixture ChineseClipTiny { get; } = new("chinese-clip-tiny");

    public string Directory { get; }

    public string RerankerDirectory => Path.Combine(Directory, "reranker");

    private JsonElement Root => json.Value.RootElement;

    public Tensor Expected(string name)
    {
        using var file = SafetensorsFile.Open(Path.Combine(Directory, "expected.safetensors"));
        return file.ReadTensor(name);
    }

    public IReadOnlyList<string> Texts() => Root.GetProperty("texts").EnumerateArray().Select(t => t.GetString()!).ToList();

    public IReadOnlyList<(string Query, string Passage)> Pairs() =>
        Root.GetProperty("pairs").EnumerateArray().Select(p => (p[0].GetString()!, p[1].GetString()!)).ToList();

    public IReadOnlyList<int[]> TokenIds() =>
        Root.GetProperty("token_ids_unpadded").EnumerateArray().Select(r => r.EnumerateArray().Select(i => i.GetInt32()).ToArray()).ToList();

    public IReadOnlyList<string> ImagePaths() =>
        Root.GetProperty("images").EnumerateArray().Select(p => Path.Combine(Directory, p.GetString()!)).ToList();

    public double MaxAbs(string name) => Root.GetProperty("max_abs").GetProperty(name).GetDouble();

    /// <summary>The rows of a padded [n, L] id tensor up to each row's mask: the unpadded inputs the reference saw.</summary>
    public IReadOnlyList<int[]> UnpaddedRows(string ids, string mask)
    {
        using var idTensor = Expected(ids);
        using var maskTensor = Expected(mask);
        var width = (int)idTensor.shape[1];
        var flatIds = idTensor.data<long>().ToArray();
        var flatMask = maskTensor.data<long>().ToArray();
        return Enumerable.Range(0, (int)idTensor.shape[0])
            .Select(r => Enumerable.Range(0, width).Where(c => flatMask[r * width + c] == 1).Select(c => (int)flatIds[r * width + c]).ToArray())
            .ToList();
    }

    /// <summary>The README's tolerance: max |a - e| &lt;= 1e-4 * max(1, max|e|), over all elements or where <paramref name="mask"/> is 1.</summary>
    public void AssertClose(Tensor expected, Tensor actual, string name, Tensor? mask = null)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var scope = NewDisposeScope();
        var difference = (expected.to(ScalarType.Float32).cpu() - actual.to(ScalarType.Float32).cpu()).abs();
        if (mask is not null)
        {
            // [n, L] mask over [n, L, width] states: padded positions are not compared.
            difference = difference * mask.cpu().to(ScalarType.Float32).unsqueeze(-1);
        }

        var maxDiff = difference.max().item<float>();
        var tolerance = 1e-4 * Math.Max(1.0, MaxAbs(name));
        Assert.True(maxDiff <= tolerance, $"{name}: max abs diff {maxDiff:G4} exceeds {tolerance:G4}");
    }
}
