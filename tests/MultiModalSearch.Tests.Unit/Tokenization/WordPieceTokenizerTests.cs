using MultiModalSearch.Models.Tokenization.WordPiece;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Tokenization;

/// <summary>BERT WordPiece ids against the reference (BertTokenizerFast) on the bert-tiny and chinese-clip-tiny fixtures.</summary>
public sealed class WordPieceTokenizerTests
{
    private static readonly TextModelFixture Bert = TextModelFixture.BertTiny;
    private static readonly TextModelFixture Chinese = TextModelFixture.ChineseClipTiny;

    public static TheoryData<string> Sources => new() { "tokenizer.json", "vocab.txt" };

    [Theory]
    [MemberData(nameof(Sources))]
    public void EveryBertTextGivesTheReferenceIds(string source)
    {
        // sentence_bert_config.json's max_seq_length (64) is what the reference truncated to.
        var tokenizer = Open(Bert.Directory, source, 64);
        var texts = Bert.Texts();
        var expected = Bert.TokenIds();
        Assert.Equal(12, texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            Assert.Equal(expected[i], tokenizer.Encode(texts[i]));
        }

        // The padded batch holds the same ids, the one longer than 64 ids truncated with [SEP] kept last.
        Assert.Equal(Bert.UnpaddedRows("input_ids", "attention_mask"), expected);
        Assert.Equal(64, expected[^1].Length);
        Assert.Equal(tokenizer.SepId, expected[^1][^1]);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void EveryPairGivesTheReferenceIdsAndSegmentsWithLongestFirstTruncation(string source)
    {
        // The reranker's tokenizer.json carries its truncation length (64); vocab.txt alone needs it given.
        var tokenizer = Open(Bert.RerankerDirectory, source, source == "vocab.txt" ? 64 : null);
        var pairs = Bert.Pairs();
        var expectedIds = Bert.UnpaddedRows("pair_input_ids", "pair_attention_mask");
        var expectedTypes = TypeRows();
        for (var i = 0; i < pairs.Count; i++)
        {
            var encoding = tokenizer.EncodePair(pairs[i].Query, pairs[i].Passage);
            Assert.Equal(expectedIds[i], encoding.Ids);
            Assert.Equal(expectedTypes[i], encoding.TypeIds);
        }

        Assert.Equal(64, expectedIds[^1].Length);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void EveryChineseClipTextGivesTheReferenceIds(string source)
    {
        // model_max_length 52 in tokenizer_config.json: Chinese-CLIP's context length.
        var tokenizer = Open(Chinese.Directory, source, null);
        var texts = Chinese.Texts();
        var expected = Chinese.TokenIds();
        Assert.Equal(52, tokenizer.MaxLength);
        for (var i = 0; i < texts.Count; i++)
        {
            Assert.Equal(expected[i], tokenizer.Encode(texts[i]));
        }
    }

    [Fact]
    public void VocabTxtIsSplitOnNewLinesOnlySoU2028KeepsItsId()
    {
        var fromTxt = BertWordPieceTokenizer.FromVocabTxt(Path.Combine(Chinese.Directory, "vocab.txt"));
        var fromJson = BertWordPieceTokenizer.FromDirectory(Chinese.Directory);

        Assert.Equal(21128, fromTxt.VocabularySize);
        Assert.Equal("\u2028", fromTxt.IdToToken(343));
        Assert.Equal("##\u2028", fromTxt.IdToToken(13502));
        // Every later id agrees with tokenizer.json's table (which wrote those two entries with the U+2028 trimmed).
        var differing = Enumerable.Range(0, 21128).Where(id => fromTxt.IdToToken(id) != fromJson.IdToToken(id)).ToList();
        Assert.Equal([343, 13502], differing);
        Assert.Equal("[SEP]", fromTxt.IdToToken(102));
        Assert.Equal("##😎", fromTxt.IdToToken(21127));
    }

    [Theory]
    [InlineData("a\tb\nc\r\nd", "a b c d")]
    [InlineData("naïve CAFÉ", "naive cafe")]
    [InlineData("zero\u200Bwidth\u0007", "zerowidth")]
    [InlineData("[sep]", "[ sep ]")]
    [InlineData("$5+2=7~", "$ 5 + 2 = 7 ~")]
    [InlineData("\u00A0spaced\u3000out\u2028", "spaced out")]
    public void NormalisationMakesTheseTextsTheSame(string text, string same)
    {
        var tokenizer = BertWordPieceTokenizer.FromDirectory(Bert.Directory);
        Assert.Equal(tokenizer.Encode(same), tokenizer.Encode(text));
    }

    [Theory]
    [InlineData("unaffable", "[CLS] una ##ffa ##ble [SEP]")]
    [InlineData("x [SEP] y [MASK]", "[CLS] x [SEP] y [MASK] [SEP]")]
    [InlineData("欢迎 tabs", "[CLS] [UNK] [UNK] tab ##s [SEP]")]
    [InlineData("", "[CLS] [SEP]")]
    public void PiecesSpecialTokensAndUnknownsFollowTheReference(string text, string expected)
    {
        var tokenizer = BertWordPieceTokenizer.FromDirectory(Bert.Directory);
        Assert.Equal(expected, string.Join(' ', tokenizer.Encode(text).Select(id => tokenizer.IdToToken(id))));
    }

    [Fact]
    public void AWordLongerThanTheLimitIsOneUnknownToken()
    {
        var tokenizer = BertWordPieceTokenizer.FromDirectory(Bert.Directory);
        var atLimit = string.Concat(Enumerable.Repeat("ab", 50));
        var overLimit = atLimit + "a";

        Assert.NotEqual([tokenizer.UnknownId], tokenizer.Tokenize(atLimit));
        Assert.Equal([tokenizer.UnknownId], tokenizer.Tokenize(overLimit));
    }

    [Fact]
    public void CasedTokenizerKeepsCaseAndAccents()
    {
        using var directory = new TemporaryDirectory();
        File.WriteAllText(directory.File("vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nCafé\ncafe\n");
        File.WriteAllText(directory.File("tokenizer_config.json"), """{"do_lower_case": false}""");

        var tokenizer = BertWordPieceTokenizer.FromDirectory(directory.Path);

        Assert.Equal([2, 5, 1, 3], tokenizer.Encode("Café café"));
    }

    [Theory]
    [InlineData(10, 30, 61, 10, 30)]
    [InlineData(10, 80, 61, 10, 51)]
    [InlineData(80, 10, 61, 51, 10)]
    [InlineData(40, 40, 61, 30, 31)]
    [InlineData(70, 45, 61, 31, 30)]
    public void LongestFirstCutsTheLongerTextThenBothEqually(int a, int b, int budget, int keptA, int keptB) =>
        Assert.Equal((keptA, keptB), BertWordPieceTokenizer.LongestFirst(a, b, budget));

    [Fact]
    public void FolderWithoutVocabularyIsRefusedNamingBothFiles()
    {
        using var directory = new TemporaryDirectory();
        var error = Assert.Throws<FileNotFoundException>(() => BertWordPieceTokenizer.FromDirectory(directory.Path));
        Assert.Contains("neither tokenizer.json nor vocab.txt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonWordPieceTokenizerJsonIsRefused()
    {
        using var directory = new TemporaryDirectory();
        File.WriteAllText(directory.File("tokenizer.json"), """{"model": {"type": "BPE", "vocab": {}}}""");
        var error = Assert.Throws<InvalidDataException>(() => BertWordPieceTokenizer.FromDirectory(directory.Path));
        Assert.Contains("model.type is 'BPE', not WordPiece", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VocabularyWithoutTheUnknownTokenIsRefused()
    {
        using var directory = new TemporaryDirectory();
        File.WriteAllText(directory.File("vocab.txt"), "[PAD]\n[CLS]\n[SEP]\nhello\n");
        var error = Assert.Throws<InvalidDataException>(() => BertWordPieceTokenizer.FromDirectory(directory.Path));
        Assert.Contains("'[UNK]' is not in the vocabulary", error.Message, StringComparison.Ordinal);
    }

    private static BertWordPieceTokenizer Open(string directory, string source, int? maxLength) =>
        source == "vocab.txt"
            ? BertWordPieceTokenizer.FromVocabTxt(Path.Combine(directory, "vocab.txt"), maxLength)
            : BertWordPieceTokenizer.FromDirectory(directory, maxLength);

    private static List<int[]> TypeRows()
    {
        using var types = Bert.Expected("pair_token_type_ids");
        using var mask = Bert.Expected("pair_attention_mask");
        var width = (int)types.shape[1];
        var t = types.data<long>().ToArray();
        var m = mask.data<long>().ToArray();
        return Enumerable.Range(0, (int)types.shape[0])
            .Select(r => Enumerable.Range(0, width).Where(c => m[r * width + c] == 1).Select(c => (int)t[r * width + c]).ToArray())
            .ToList();
    }
}
