using System.Text.Json;
using MultiModalSearch.Models.Tokenization.SentencePiece;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Tokenization;

/// <summary>The Llama SentencePiece tokenizer against the reference implementation and the llava-tiny fixture's ids.</summary>
public sealed class LlamaTokenizerTests
{
    private static readonly string ReferencePath = Path.Combine(AppContext.BaseDirectory, "fixtures", "sentencepiece-reference", "llama2-pieces.json");

    public static TheoryData<int> ReferenceCases()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(ReferencePath));
        var data = new TheoryData<int>();
        for (var i = 0; i < json.RootElement.GetProperty("cases").GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void SentencePieceIdsAndDecodingMatchTheReferenceImplementation(int index)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(ReferencePath));
        var item = json.RootElement.GetProperty("cases")[index];
        var text = item.GetProperty("text").GetString()!;
        var expected = item.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToList();
        var tokenizer = LlamaTokenizer.FromDirectory(LlavaTinyFixture.Directory);

        var ids = tokenizer.Model.Encode(text);

        Assert.Equal(expected, ids);
        Assert.Equal(item.GetProperty("decoded").GetString(), tokenizer.Decode(ids));
    }

    [Fact]
    public void FixturePromptsEncodeToTheReferenceIdsWithOnePlaceholderPerImage()
    {
        var tokenizer = LlamaTokenizer.FromDirectory(LlavaTinyFixture.Directory);
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(LlavaTinyFixture.Directory, "expected.json")));
        foreach (var prompt in json.RootElement.GetProperty("prompts").EnumerateArray())
        {
            var expected = prompt.GetProperty("input_ids_unexpanded").EnumerateArray().Select(i => i.GetInt32());
            Assert.Equal(expected, tokenizer.Encode(prompt.GetProperty("text").GetString()!));
        }
    }

    [Fact]
    public void LlavaHfPublishedExampleEncodesAsDocumented()
    {
        // llava-hf's model card prompt; the fixture README quotes the ids its tokenizer gives.
        var tokenizer = LlamaTokenizer.FromDirectory(LlavaTinyFixture.Directory);
        var ids = tokenizer.Encode("USER: <image>\nWhat's the content of the image?\nASSISTANT:");
        Assert.Equal([1, 3148, 1001, 29901, 29871, 32000, 29871, 13, 5618], ids.Take(9));
    }

    [Fact]
    public void AddedAndSpecialTokensAreCutOutOfTheTextAndSkippedWhenDecoding()
    {
        var tokenizer = LlamaTokenizer.FromDirectory(LlavaTinyFixture.Directory);
        var ids = tokenizer.Encode("a</s><image><pad>b", addSpecialTokens: false);
        Assert.Equal([263, 2, 32000, 32001, 289], ids);
        Assert.Equal(32002, tokenizer.VocabularySize);
        // "b" was encoded with its own dummy-prefix space, which decoding keeps (as transformers does).
        Assert.Equal("a b", tokenizer.Decode(ids));
        Assert.Contains("</s><image><pad>", tokenizer.Decode(ids, skipSpecialTokens: false));
    }

    [Fact]
    public void NonLegacyModeAddsTheDummyPrefixOnlyAtTheStartOfTheText()
    {
        var legacy = LlamaTokenizer.FromDirectory(LlavaTinyFixture.Directory);
        var modern = new LlamaTokenizer(legacy.Model, legacy.Config with { Legacy = false });
        Assert.Equal([1, 3148, 1001, 29901, 29871, 32000, 29871, 13, 5618], legacy.Encode("USER: <image>\nWhat"));
        // Without the per-segment prefix the newline after <image> is the byte piece alone.
        Assert.Equal([1, 3148, 1001, 29901, 29871, 32000, 13, 5618], modern.Encode("USER: <image>\nWhat"));
    }

    [Fact]
    public void StripFlagsOfAnAddedTokenSwallowTheWhitespaceBesideIt()
    {
        var baseTokenizer = LlamaTokenizer.FromDirectory(LlavaTinyFixture.Directory);
        var tokens = baseTokenizer.Config.AddedTokens.Select(t => t.Content == "<image>" ? t with { LStrip = true, RStrip = true } : t).ToList();
        var stripping = new LlamaTokenizer(baseTokenizer.Model, baseTokenizer.Config with { AddedTokens = tokens });
        Assert.Equal(stripping.Encode("a<image>b"), stripping.Encode("a  <image>\n b"));
        Assert.NotEqual(baseTokenizer.Encode("a<image>b"), baseTokenizer.Encode("a  <image>\n b"));
    }

    [Fact]
    public void MissingOrCorruptTokenizerModelIsRefusedClearly()
    {
        using var empty = new TemporaryDirectory();
        var missing = Assert.Throws<FileNotFoundException>(() => LlamaTokenizer.FromDirectory(empty.Path));
        Assert.Contains("tokenizer.model", missing.Message);

        File.WriteAllBytes(empty.File("tokenizer.model"), [0x0A, 0xFF, 0xFF, 0x01]);
        var corrupt = Assert.Throws<InvalidDataException>(() => LlamaTokenizer.FromDirectory(empty.Path));
        Assert.Contains("is not a SentencePiece model", corrupt.Message);
    }

    [Fact]
    public void UnigramModelsAreRefusedNamingTheType()
    {
        var model = SentencePieceModelFile.Read(Path.Combine(LlavaTinyFixture.Directory, "tokenizer.model")) with { ModelType = SentencePieceModelFile.UnigramModel };
        var error = Assert.Throws<InvalidDataException>(() => new SentencePieceBpe(model, "m.model"));
        Assert.Contains("type 1", error.Message);
        Assert.Contains("only BPE", error.Message);
    }
}
