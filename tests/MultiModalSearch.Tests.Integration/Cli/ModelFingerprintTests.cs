using System.Buffers.Binary;
using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Support;

namespace MultiModalSearch.Tests.Cli;

/// <summary>
/// A collection knows its model by a fingerprint of the weights and configuration: new weights under the recorded path
/// are refused when indexing and searching, and the same model under another path is accepted.
/// </summary>
public sealed class ModelFingerprintTests : IDisposable
{
    // Under /tmp itself: as root the server runs as 'postgres', which must reach the data directory.
    private readonly string root = Path.Combine(Path.GetTempPath(), "mms-fingerprint-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly TemporaryDirectory photos = new();

    public ModelFingerprintTests()
    {
        Directory.CreateDirectory(root);
        for (var i = 0; i < 3; i++)
        {
            File.WriteAllBytes(Path.Combine(photos.Path, $"p{i}.png"), IndexingJobTestImages.Png(200 + i));
        }
    }

    [Fact]
    public async Task WeightsReplacedUnderTheRecordedPathAreRefusedAndACopyElsewhereIsAccepted()
    {
        var model = CopyModel("model");
        var index = await RunAsync(["index", photos.Path, "--collection", "c", "--model", model]);
        Assert.True(index.ExitCode == 0, index.Stderr);

        var copy = CopyModel("copy");
        var again = await RunAsync(["index", photos.Path, "--collection", "c", "--model", copy]);
        Assert.True(again.ExitCode == 0, again.Stderr);

        // The collection still names the first folder; searches load the model from there.
        ChangeFirstWeight(Path.Combine(model, "model.safetensors"));
        var search = await RunAsync(["search", "--collection", "c", "--text", "a photo"]);
        var reindex = await RunAsync(["index", photos.Path, "--collection", "c", "--model", model]);

        Assert.Equal(1, search.ExitCode);
        Assert.Contains("now holds another model", search.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, reindex.ExitCode);
        Assert.Contains("weights or configuration differ", reindex.Stderr, StringComparison.Ordinal);
        Assert.Single(reindex.Stderr.Split('\n'), line => line.StartsWith("error:", StringComparison.Ordinal));

        // What the message offers works: delete the collection, and the changed model indexes it afresh.
        var delete = await RunAsync(["collection", "delete", "c", "--yes"]);
        var fresh = await RunAsync(["index", photos.Path, "--collection", "c", "--model", model, "--json"]);
        Assert.True(delete.ExitCode == 0, delete.Stderr);
        Assert.True(fresh.ExitCode == 0, fresh.Stderr);
        Assert.Contains("\"embedded\":3", fresh.Stdout.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDemoRebuildsItsOwnCollectionWhenItsModelChanged()
    {
        var model = CopyModel("model");
        var first = await RunAsync(["demo", "--samples", photos.Path, "--model", model]);
        Assert.True(first.ExitCode == 0, first.Stderr);

        ChangeFirstWeight(Path.Combine(model, "model.safetensors"));
        var second = await RunAsync(["demo", "--samples", photos.Path, "--model", model]);

        // The console may wrap long lines when it is not a terminal.
        var said = string.Join(' ', second.Stdout.Split('\n', StringSplitOptions.TrimEntries));
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Contains("indexed again from scratch", said, StringComparison.Ordinal);
        Assert.Contains("3 embedded", said, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        photos.Dispose();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // Leftovers in /tmp are harmless.
        }
    }

    private string CopyModel(string name)
    {
        var target = Path.Combine(root, name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(ClipTinyFixture.Directory).Where(f => !Path.GetFileName(f).StartsWith("expected", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    /// <summary>Nudges the first stored number: the shapes and the header stay, only the weights change.</summary>
    private static void ChangeFirstWeight(string safetensors)
    {
        using var file = new FileStream(safetensors, FileMode.Open, FileAccess.ReadWrite);
        Span<byte> length = stackalloc byte[8];
        file.ReadExactly(length);
        file.Position = 8 + (long)BinaryPrimitives.ReadUInt64LittleEndian(length);
        var first = file.ReadByte();
        file.Position--;
        file.WriteByte((byte)(first ^ 0x40));
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] arguments) =>
        CliProcess.RunAsync(arguments, new Dictionary<string, string> { ["MMS_DATA_DIR"] = Path.Combine(root, "pg") }, TimeSpan.FromMinutes(3));
}
