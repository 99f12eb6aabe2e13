using MultiModalSearch.Testing;
using MultiModalSearch.Training.Data;

namespace MultiModalSearch.Tests.Training;

public sealed class CaptionDatasetTests
{
    [Fact]
    public void ReadsJsonlWithSingleAndMultipleCaptionsMergingRepeatedImages()
    {
        using var folder = new TemporaryDirectory();
        Touch(folder, "a.png", "sub/b.png");
        var manifest = folder.File("data.jsonl");
        File.WriteAllLines(manifest,
        [
            "{\"image\": \"a.png\", \"caption\": \"a cat\"}",
            "",
            "{\"image\": \"sub/b.png\", \"captions\": [\"a dog\", \"a puppy\"]}",
            "{\"image\": \"a.png\", \"caption\": \"a kitten\"}",
        ]);

        var items = CaptionDataset.Load(manifest);

        Assert.Equal(2, items.Count);
        Assert.Equal(folder.File("a.png"), items[0].ImagePath);
        Assert.Equal(["a cat", "a kitten"], items[0].Captions);
        Assert.Equal(["a dog", "a puppy"], items[1].Captions);
    }

    [Theory]
    [InlineData("{\"image\": \"a.png\"", "data.jsonl:2: invalid JSON")]
    [InlineData("{\"image\": \"missing.png\", \"caption\": \"x\"}", "data.jsonl:2: image not found: missing.png")]
    [InlineData("{\"image\": \"a.png\"}", "data.jsonl:2: no caption for a.png")]
    [InlineData("{\"caption\": \"x\"}", "data.jsonl:2: missing \"image\"")]
    public void NamesTheLineOfABadJsonlRow(string badLine, string expected)
    {
        using var folder = new TemporaryDirectory();
        Touch(folder, "a.png");
        var manifest = folder.File("data.jsonl");
        File.WriteAllLines(manifest, ["{\"image\": \"a.png\", \"caption\": \"ok\"}", badLine]);

        var error = Assert.Throws<DatasetFormatException>(() => CaptionDataset.Load(manifest));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void ReadsCsvWithQuotedCommasAndPipeSeparatedCaptions()
    {
        using var folder = new TemporaryDirectory();
        Touch(folder, "a.png", "b.png");
        var manifest = folder.File("data.csv");
        File.WriteAllLines(manifest, ["image,caption", "a.png,\"a cat, sleeping\"", "b.png,\"a \"\"dog\"\"\""]);
        File.WriteAllLines(folder.File("multi.csv"), ["image,captions", "a.png,one|two"]);

        var items = CaptionDataset.Load(manifest);

        Assert.Equal(["a cat, sleeping"], items[0].Captions);
        Assert.Equal(["a \"dog\""], items[1].Captions);
        Assert.Equal(["one", "two"], CaptionDataset.Load(folder.File("multi.csv"))[0].Captions);
    }

    [Fact]
    public void ReportsCsvFieldCountMismatchWithItsLine()
    {
        using var folder = new TemporaryDirectory();
        Touch(folder, "a.png");
        File.WriteAllLines(folder.File("data.csv"), ["image,caption", "a.png,ok", "a.png"]);
        var error = Assert.Throws<DatasetFormatException>(() => CaptionDataset.Load(folder.File("data.csv")));
        Assert.Contains("data.csv:3: expected 2 fields, found 1", error.Message);
    }

    [Fact]
    public void ReadsSidecarCaptionsAndRefusesAnImageWithoutOne()
    {
        using var folder = new TemporaryDirectory();
        Touch(folder, "photo.jpg");
        File.WriteAllLines(folder.File("photo.txt"), ["a beach", "", "  sand and sea  "]);

        var items = CaptionDataset.Load(folder.Path);

        Assert.Equal(["a beach", "sand and sea"], Assert.Single(items).Captions);
        Touch(folder, "other.png");
        var error = Assert.Throws<DatasetFormatException>(() => CaptionDataset.Load(folder.Path));
        Assert.Contains("no caption file other.txt", error.Message);
    }

    private static void Touch(TemporaryDirectory folder, params string[] names)
    {
        foreach (var name in names)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(folder.File(name))!);
            File.WriteAllBytes(folder.File(name), [0]);
        }
    }
}
