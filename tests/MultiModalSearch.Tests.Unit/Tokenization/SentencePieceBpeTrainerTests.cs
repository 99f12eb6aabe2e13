using System.Text.Json;
using MultiModalSearch.Models.Tokenization.SentencePiece;
using MultiModalSearch.Testing;
using MultiModalSearch.Training.Llava;
using MultiModalSearch.Training.Tokenization;

namespace MultiModalSearch.Tests.Tokenization;

/// <summary>
/// The tokenizer learned for models trained here: our trainer's tokenizer.model is read and encoded by the SentencePiece
/// library exactly as by our Llama tokenizer (ids from the library in tests/fixtures/sentencepiece-trained).
/// </summary>
public sealed class SentencePieceBpeTrainerTests
{
    private static readonly string[] Names =
    [
        "grinning face", "smiling face with open mouth", "smiling face with open mouth and smiling eyes",
        "grinning face with smiling eyes", "face with tears of joy", "dog face", "cat face", "red apple", "slice of pizza",
        "rocket", "thumbs up sign", "sun with face", "rainbow", "åland islands flag", "man: red hair", "kiss: woman, man",
    ];

    private static string Fixture => Path.Combine(AppContext.BaseDirectory, "fixtures", "sentencepiece-trained");

    [Fact]
    public void TrainingIsDeterministicAndWritesTheCommittedModel()
    {
        var written = SentencePieceModelWriter.Serialize(SentencePieceBpeTrainer.Train(Corpus(), 320));

        Assert.Equal(File.ReadAllBytes(Path.Combine(Fixture, "tokenizer.model")), written);
    }

    [Fact]
    public void OurTokenizerEncodesTheWrittenModelAsTheSentencePieceLibraryDoes()
    {
        var model = SentencePieceBpe.FromFile(Path.Combine(Fixture, "tokenizer.model"));
        using var expected = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Fixture, "expected.json")));

        foreach (var entry in expected.RootElement.GetProperty("texts").EnumerateArray())
        {
            var text = entry.GetProperty("text").GetString()!;
            var ids = entry.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToList();
            Assert.Equal(ids, model.Encode(text));
        }
    }

    [Fact]
    public void TheWrittenModelReadsBackWithEveryPieceAndSetting()
    {
        var trained = SentencePieceBpeTrainer.Train(Corpus(), 320);
        var read = SentencePieceModelFile.Parse(SentencePieceModelWriter.Serialize(trained));

        Assert.Equal(trained.Pieces, read.Pieces);
        Assert.Equal((SentencePieceModelFile.BpeModel, true, 0, 1, 2, -1), (read.ModelType, read.ByteFallback, read.UnknownId, read.BosId, read.EosId, read.PadId));
        Assert.Equal(("identity", true, false, true), (read.NormalizerName, read.AddDummyPrefix, read.RemoveExtraWhitespaces, read.EscapeWhitespaces));
        Assert.Equal(["<unk>", "<s>", "</s>", "<0x00>"], read.Pieces.Take(4).Select(p => p.Piece));
        Assert.Equal(256, read.Pieces.Count(p => p.Type == SentencePieceType.Byte));
    }

    [Fact]
    public void FrequentWordsBecomeOnePieceAndAnyTextRoundTrips()
    {
        using var folder = new TemporaryDirectory();
        LlavaFolderWriter.WriteTokenizer(folder.Path, SentencePieceBpeTrainer.Train(Corpus(), 400));
        var tokenizer = LlamaTokenizer.FromDirectory(folder.Path);

        Assert.Single(tokenizer.Encode("face", addSpecialTokens: false));
        Assert.InRange(tokenizer.Encode("ASSISTANT:", addSpecialTokens: false).Count, 1, 2);
        foreach (var text in new[] { "smiling face with open mouth", "zebra 🦓 über", "  two  spaces ", "tab\tand\nnewline" })
        {
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
        }

        var ids = tokenizer.Encode("USER: <image>\nWhat is shown in this figure? ASSISTANT:");
        Assert.Equal(tokenizer.BosTokenId, ids[0]);
        Assert.Single(ids, LlavaFolderWriter.AddedTokenIds(tokenizer.Model.VocabularySize).Image);
    }

    [Fact]
    public void AVocabularyTooSmallForTheCharactersIsRefusedWithBothCounts()
    {
        var error = Assert.Throws<ArgumentException>(() => SentencePieceBpeTrainer.Train(Corpus(), 270));

        Assert.Contains("270", error.Message);
        Assert.Contains("the 37 characters", error.Message);
        Assert.Contains("at least 296", error.Message);
    }

    /// <summary>As the LLaVA runner feeds it: the prompt's segments once per image, then the answer.</summary>
    private static string[] Corpus() =>
        Names.SelectMany(n => new[] { "USER: ", "\nWhat is shown in this figure? ASSISTANT:", n }).ToArray();
}
