using MultiModalSearch.Abstractions.Errors;
using MultiModalSearch.Core.Crawling;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Indexing;

public sealed class CrawlShardSpecTests
{
    [Theory]
    [InlineData("2/8", 2, 8)]
    [InlineData("0/1", 0, 1)]
    [InlineData(" 7/8 ", 7, 8)]
    public void Parse_reads_index_and_count(string text, int index, int count)
    {
        Assert.Equal(new ShardSpec(index, count), ShardSpec.Parse(text));
    }

    [Theory]
    [InlineData("8/8", "0..7")]
    [InlineData("a/b", "i/N")]
    [InlineData("0/0", "at least 1")]
    [InlineData("-1/4", "i/N")]
    [InlineData("1/", "i/N")]
    [InlineData("1/2/3", "i/N")]
    [InlineData("", "i/N")]
    public void Parse_rejects_malformed_text_with_a_clear_message(string text, string hint)
    {
        var error = Assert.Throws<InvalidSettingException>(() => ShardSpec.Parse(text));

        Assert.Equal("shard", error.Setting);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_hash_is_fnv1a_64_over_utf8()
    {
        // Published FNV-1a 64 test vectors: a different hash would reassign every file to another worker.
        Assert.Equal(0xcbf29ce484222325UL, ShardSpec.StableHash(""));
        Assert.Equal(0xaf63dc4c8601ec8cUL, ShardSpec.StableHash("a"));
        Assert.Equal(0x85944171f73967e8UL, ShardSpec.StableHash("foobar"));
    }

    [Fact]
    public void A_fixed_path_has_a_fixed_owner()
    {
        // Computed once; if this moves, running workers and resumed jobs would disagree on who owns what.
        const string path = "photos/2024/IMG_0001.jpg";
        Assert.Equal(OwnerConstantOf3, Enumerable.Range(0, 3).Single(i => new ShardSpec(i, 3).Owns(path)));
        Assert.Equal(OwnerConstantOf8, Enumerable.Range(0, 8).Single(i => new ShardSpec(i, 8).Owns(path)));
        Assert.Equal(OwnerConstantNonAscii, Enumerable.Range(0, 8).Single(i => new ShardSpec(i, 8).Owns("été/café.jpg")));
    }

    [Fact]
    public void Every_path_has_exactly_one_owner()
    {
        for (var i = 0; i < 200; i++)
        {
            var path = $"dir{i % 7}/file{i}.jpg";
            Assert.Single(Enumerable.Range(0, 5), s => new ShardSpec(s, 5).Owns(path));
        }
    }

    [Fact]
    public void Owns_on_a_default_spec_fails_clearly()
    {
        Assert.Throws<InvalidOperationException>(() => default(ShardSpec).Owns("a.jpg"));
    }

    private const int OwnerConstantOf3 = 2;
    private const int OwnerConstantOf8 = 4;
    private const int OwnerConstantNonAscii = 7;
}
