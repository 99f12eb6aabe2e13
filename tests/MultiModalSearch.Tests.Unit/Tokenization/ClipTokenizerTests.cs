using System.Text.Json;
using MultiModalSearch.Models.Tokenization.Clip;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Tokenization;

public sealed class ClipTokenizerTests
{
    private const int Sot = 49406;
    private const int Eot = 49407;

    private static readonly string FixtureDir = Path.Combine(AppContext.BaseDirectory, "fixtures", "clip-tiny");
    private static readonly Lazy<ClipTokenizer> FromHf = new(() => ClipTokenizer.FromDirectory(FixtureDir));
    private static readonly Lazy<ClipTokenizer> FromGzip =
        new(() => ClipTokenizer.FromBpeGzip(Path.Combine(FixtureDir, "bpe_simple_vocab_16e6.txt.gz")));
    private static readonly Lazy<(string[] Texts, int[][] Ids)> Expected = new(LoadExpected);

    public static TheoryData<int> TextIndices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < 12; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TextIndices))]
    public void Encode_FromHuggingFaceFiles_MatchesReferenceIds(int index)
    {
        var (texts, ids) = Expected.Value;
        Assert.Equal(ids[index], FromHf.Value.Encode(texts[index]));
    }

    [Theory]
    [MemberData(nameof(TextIndices))]
    public void Encode_FromOpenAiGzip_MatchesReferenceIds(int index)
    {
        var (texts, ids) = Expected.Value;
        Assert.Equal(ids[index], FromGzip.Value.Encode(texts[index]));
    }

    [Fact]
    public void Loaders_AgreeOnVocabularyAndSpecialTokens()
    {
        foreach (var tokenizer in new[] { FromHf.Value, FromGzip.Value })
        {
            Assert.Equal(77, tokenizer.ContextLength);
            Assert.Equal(Sot, tokenizer.StartOfText);
            Assert.Equal(Eot, tokenizer.EndOfText);
            Assert.Equal(49408, tokenizer.VocabularySize);
        }
    }

    [Theory]
    [MemberData(nameof(TextIndices))]
    public void EncodePadded_WritesIdsThenZeros(int index)
    {
        var (texts, ids) = Expected.Value;
        var row = new long[77];
        row.AsSpan().Fill(-1);

        int count = FromHf.Value.EncodePadded(texts[index], row);

        Assert.Equal(ids[index].Length, count);
        var expected = new long[77];
        for (int i = 0; i < ids[index].Length; i++)
        {
            expected[i] = ids[index][i];
        }

        Assert.Equal(expected, row);
    }

    [Fact]
    public void EncodePadded_RejectsWrongDestinationLength()
    {
        var row = new long[76];
        Assert.Throws<ArgumentException>(() => FromHf.Value.EncodePadded("a cat", row));
    }

    [Fact]
    public void Encode_LongText_KeepsFirstIdsAndEndsWithEot()
    {
        var (texts, ids) = Expected.Value;
        string longText = texts[10] + " " + texts[10];

        var encoded = FromHf.Value.Encode(longText);

        Assert.Equal(77, encoded.Count);
        Assert.Equal(Eot, encoded[^1]);
        Assert.Equal(ids[10][..76], encoded.Take(76));
    }

    [Theory]
    // Python's IGNORECASE and lower(): the contraction survives any casing.
    [InlineData("IT'S", "it's")]
    [InlineData("It'S", "it's")]
    // Cleaning: whitespace runs of any kind collapse, ends are stripped.
    [InlineData("\n A  PHOTO\tof a\u00A0cat \r\n", "a photo of a cat")]
    // ftfy would NFC-normalise; decomposed accents give the same ids as precomposed ones.
    [InlineData("nai\u0308ve cafe\u0301 fac\u0327ade", "naïve café façade")]
    // html.unescape runs twice, and accepts the legacy names without ';'.
    [InlineData("&amp;amp; html &amp;quot;entities&quot", "& html \"entities\"")]
    public void Encode_EquivalentTexts_GiveSameIds(string text, string equivalent)
    {
        Assert.Equal(FromHf.Value.Encode(equivalent), FromHf.Value.Encode(text));
    }

    [Fact]
    public void Encode_ContractionsAndSpecialTokens_FollowThePattern()
    {
        var tokenizer = FromHf.Value;

        // "it" = 585 and "'s</w>" = 568, as in the fixture's "it's a 3.5mm jack".
        Assert.Equal([Sot, 585, 568, Eot], tokenizer.Encode("IT'S"));
        // A special token standing alone is its id (the reference's BPE cache is seeded with both).
        Assert.Equal([Sot, Eot, Eot], tokenizer.Encode("<|endoftext|>"));
        Assert.Equal([Sot, Sot, Eot], tokenizer.Encode("<|STARTOFTEXT|>"));
        // Glued to a symbol it is not a match start: "!<|" is one symbol run, then "endoftext", then "|>".
        var glued = tokenizer.Encode("!<|endoftext|>");
        Assert.DoesNotContain(Eot, glued.Skip(1).SkipLast(1));
        Assert.Equal(tokenizer.Encode("!<| endoftext |>"), glued);
    }

    [Fact]
    public void Encode_EmptyAndWhitespace_GiveOnlySotEot()
    {
        Assert.Equal([Sot, Eot], FromHf.Value.Encode(""));
        Assert.Equal([Sot, Eot], FromHf.Value.Encode(" \t\r\n\u3000\u001C"));
    }

    [Fact]
    public void Encode_SupplementaryLetters_StayInTheWord()
    {
        // U+10428 is a letter (Deseret): "naïve𐐨" is one word, so "ve" does not take the end-of-word form.
        var tokenizer = FromHf.Value;
        var alone = tokenizer.Encode("naïve");
        var joined = tokenizer.Encode("naïve\U00010428");
        Assert.Equal(alone.Skip(1).Take(2), joined.Skip(1).Take(2));
        Assert.NotEqual(alone[3], joined[3]);
    }

    [Fact]
    public void Encode_IsThreadSafe()
    {
        var (texts, ids) = Expected.Value;
        var tokenizer = ClipTokenizer.FromDirectory(FixtureDir);
        Parallel.For(0, 2000, i =>
        {
            int k = i % texts.Length;
            Assert.Equal(ids[k], tokenizer.Encode(texts[k]));
        });
    }

    [Fact]
    public void FromDirectory_WithOnlyTheGzipFile_MatchesHuggingFaceFiles()
    {
        using var dir = new TemporaryDirectory();
        File.Copy(Path.Combine(FixtureDir, "bpe_simple_vocab_16e6.txt.gz"), Path.Combine(dir.Path, "bpe_simple_vocab_16e6.txt.gz"));
        var tokenizer = ClipTokenizer.FromDirectory(dir.Path);
        var (texts, ids) = Expected.Value;
        for (int i = 0; i < texts.Length; i++)
        {
            Assert.Equal(ids[i], tokenizer.Encode(texts[i]));
        }
    }

    [Fact]
    public void FromDirectory_ReadsContextLengthFromConfig()
    {
        using var dir = new TemporaryDirectory();
        foreach (var name in new[] { "vocab.json", "merges.txt" })
        {
            File.Copy(Path.Combine(FixtureDir, name), Path.Combine(dir.Path, name));
        }

        File.WriteAllText(Path.Combine(dir.Path, "tokenizer_config.json"), """{ "model_max_length": 8 }""");
        var tokenizer = ClipTokenizer.FromDirectory(dir.Path);

        Assert.Equal(8, tokenizer.ContextLength);
        var encoded = tokenizer.Encode(Expected.Value.Texts[10]);
        Assert.Equal(Expected.Value.Ids[10][..7].Append(Eot), encoded);
    }

    [Fact]
    public void FromDirectory_EmptyFolder_NamesFolderAndExpectedFiles()
    {
        using var dir = new TemporaryDirectory();
        var ex = Assert.Throws<FileNotFoundException>(() => ClipTokenizer.FromDirectory(dir.Path));
        Assert.Contains(dir.Path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("vocab.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("merges.txt", ex.Message, StringComparison.Ordinal);
        Assert.Contains("bpe_simple_vocab_16e6.txt.gz", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromDirectory_MissingMerges_SaysWhichFileIsMissing()
    {
        using var dir = new TemporaryDirectory();
        File.Copy(Path.Combine(FixtureDir, "vocab.json"), Path.Combine(dir.Path, "vocab.json"));
        var ex = Assert.Throws<FileNotFoundException>(() => ClipTokenizer.FromDirectory(dir.Path));
        Assert.Contains($"lacks merges.txt", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromDirectory_MissingFolder_NamesIt()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-clip-" + Guid.NewGuid().ToString("N"));
        var ex = Assert.Throws<DirectoryNotFoundException>(() => ClipTokenizer.FromDirectory(missing));
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBpeGzip_MissingFile_NamesIt()
    {
        string missing = Path.Combine(FixtureDir, "nope.txt.gz");
        var ex = Assert.Throws<FileNotFoundException>(() => ClipTokenizer.FromBpeGzip(missing));
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
    }

    private static (string[] Texts, int[][] Ids) LoadExpected()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(FixtureDir, "expected.json")));
        var texts = doc.RootElement.GetProperty("texts").EnumerateArray().Select(t => t.GetString()!).ToArray();
        var ids = doc.RootElement.GetProperty("text_token_ids").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        return (texts, ids);
    }
}
