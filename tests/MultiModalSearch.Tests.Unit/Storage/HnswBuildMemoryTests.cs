using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Storage.Postgres;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Storage;

public sealed class HnswBuildMemoryTests
{
    private const long GiB = HnswBuildMemory.GiB;
    private const long MiB = HnswBuildMemory.MiB;

    [Theory]
    [InlineData("4GB", 4 * GiB)]
    [InlineData(" 512 mb ", 512 * MiB)]
    [InlineData("2g", 2 * GiB)]
    [InlineData("1073741824", GiB)]
    [InlineData("1kB", HnswBuildMemory.Floor)]
    public void ParsesPostgresStyleSizes(string text, long bytes) => Assert.Equal(bytes, HnswBuildMemory.Parse(text).Cap);

    [Theory]
    [InlineData("")]
    [InlineData("GB")]
    [InlineData("-1GB")]
    [InlineData("1.5GB")]
    [InlineData("4 parsecs")]
    [InlineData("99999999999999999999GB")]
    [InlineData("9999999999999TB")]
    public void RejectsWhatIsNotASize(string text)
    {
        var error = Assert.Throws<FormatException>(() => HnswBuildMemory.Parse(text));
        Assert.Contains(text.Trim(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMillionHalfvecRowsAskForMoreThanTheOldFixedGigabyte()
    {
        // 1GB held about 630k 512-d halfvec rows in the measured 1M build, which then slowed several-fold.
        var setting = new HnswBuildMemory(16 * GiB).SettingKilobytes(1_000_000, 512, EmbeddingPrecision.Half, serverBytes: 64 * MiB);

        Assert.NotNull(setting);
        Assert.InRange(setting.Value * 1024, (long)(1.6 * GiB), (long)(2.5 * GiB));
    }

    [Fact]
    public void FloatVectorsNeedMoreThanHalfvecs()
    {
        var memory = new HnswBuildMemory(16 * GiB);
        var full = memory.SettingKilobytes(1_000_000, 512, EmbeddingPrecision.Full, 0)!.Value;
        var half = memory.SettingKilobytes(1_000_000, 512, EmbeddingPrecision.Half, 0)!.Value;

        Assert.True(full > half * 1.4, $"vector {full} kB, halfvec {half} kB");
    }

    [Fact]
    public void TheCapLimitsTheRequest() =>
        Assert.Equal(GiB / 1024, new HnswBuildMemory(GiB).SettingKilobytes(10_000_000, 768, EmbeddingPrecision.Full, serverBytes: 64 * MiB));

    [Fact]
    public void SmallCollectionsGetTheFloorNotTheCap() =>
        Assert.Equal(HnswBuildMemory.Floor / 1024, new HnswBuildMemory(8 * GiB).SettingKilobytes(1000, 512, EmbeddingPrecision.Half, serverBytes: 4 * MiB));

    [Fact]
    public void ALargerServerSettingIsKept() =>
        Assert.Null(new HnswBuildMemory(GiB).SettingKilobytes(1_000_000, 512, EmbeddingPrecision.Full, serverBytes: 32 * GiB));

    [Fact]
    public void TheLocalDefaultIsAtLeastAGigabyte() => Assert.True(HnswBuildMemory.ForLocalServer().Cap >= GiB);
}
