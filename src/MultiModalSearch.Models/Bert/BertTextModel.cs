using MultiModalSearch.Models.Resolution;
using MultiModalSearch.Models.Tokenization.WordPiece;

namespace MultiModalSearch.Models.Bert;

/// <summary>The checks and choices every BERT-based model shares when it opens a folder.</summary>
internal static class BertTextModel
{
    /// <summary>Refuses a folder of another kind with a message that says what it is and what to use instead.</summary>
    public static void RequireKind(string directory, ModelKind expected, string use)
    {
        var kind = ModelKindDetector.Detect(directory);
        if (kind != expected)
        {
            throw new UnsupportedModelException($"Model '{directory}' is a {kind.Describe()}, not a {expected.Describe()}: {use}.");
        }
    }

    /// <summary>The tokenizer truncating to <paramref name="maxLength"/>, never beyond the model's learned positions.</summary>
    public static BertWordPieceTokenizer OpenTokenizer(string directory, BertConfig config, int? maxLength)
    {
        var tokenizer = BertWordPieceTokenizer.FromDirectory(directory, maxLength, config.MaxPositionEmbeddings);
        return tokenizer.VocabularySize <= config.VocabSize
            ? tokenizer
            : throw new InvalidDataException(
                $"{directory}: the tokenizer has {tokenizer.VocabularySize} tokens but the model's vocab_size is {config.VocabSize}");
    }
}
