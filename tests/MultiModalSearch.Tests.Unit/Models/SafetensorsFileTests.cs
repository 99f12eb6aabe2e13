using System.Text.RegularExpressions;
using MultiModalSearch.Models.Checkpoints;
using MultiModalSearch.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Tests.Models;

public sealed partial class SafetensorsFileTests
{
    [Fact]
    public void ReleasedBytesLeaveTheResidentSetAndStillReadBackUnchanged()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("model.safetensors");
        using var original = torch.rand(1024, 2048, generator: new Generator(7)); // 8 MiB
        SafetensorsWriter.Write(path, [KeyValuePair.Create("w", original)]);

        using var file = SafetensorsFile.Open(path);
        var entry = file.Entries["w"];
        long checksum = 0;
        foreach (var b in file.GetBytes(entry))
        {
            checksum += b; // fault every page of the tensor in
        }

        long before = ResidentKiB(path);
        file.Release(entry);
        long after = ResidentKiB(path);

        Assert.True(checksum > 0);
        Assert.True(before >= 8 * 1024, $"{before} KiB resident after reading 8 MiB");
        Assert.True(after <= 16, $"{after} KiB still resident after the release"); // the header page and partial end pages may stay
        using var reread = file.ReadTensor("w");
        Assert.True(reread.eq(original).all().item<bool>());
    }

    /// <summary>Resident KiB of this process's mappings of <paramref name="path"/>, from /proc/self/smaps.</summary>
    private static long ResidentKiB(string path)
    {
        long total = 0;
        bool inMapping = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            if (MappingHeader().IsMatch(line))
            {
                inMapping = line.EndsWith(" " + path, StringComparison.Ordinal);
            }
            else if (inMapping && line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                total += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
            }
        }

        return total;
    }

    [GeneratedRegex("^[0-9a-f]+-[0-9a-f]+ ")]
    private static partial Regex MappingHeader();
}
