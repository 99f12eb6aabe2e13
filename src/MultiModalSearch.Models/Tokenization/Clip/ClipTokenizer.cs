using Microsoft.ML.Tokenizers;

namespace MultiModalSearch.Models.Tokenization.Clip;

/// <summary>
/// CLIP's byte-level BPE tokenizer, matching OpenAI's <c>clip/simple_tokenizer.py</c> and
/// <c>clip.tokenize(texts, context_length, truncate=True)</c> id for id (except for ftfy, see <see cref="ClipTextNormalizer"/>).
/// </summary>
/// <remarks>
/// Cleaning and word splitting are done here (<see cref="ClipTextNormalizer"/>, <see cref="ClipPreTokenizer"/>);
/// the byte-to-symbol mapping, the merge loop with the <c>&lt;/w&gt;</c> end-of-word suffix and the vocabulary
/// lookup are Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/> (ByteLevel + EndOfWordSuffix), which reproduces
/// the reference's merges exactly. Instances are immutable and safe for concurrent <see cref="Encode"/> calls:
/// BpeTokenizer's word cache is bounded and locked.
/// </remarks>
public sealed class ClipTokenizer : ITextTokenizer
{
    public const int DefaultContextLength = 77;
    public const string DefaultStartOfTextToken = "<|startoftext|>";
    public const string DefaultEndOfTextToken = "<|endoftext|>";

    private readonly BpeTokenizer bpe;

    private ClipTokenizer(ClipBpeFiles files, int contextLength, string startToken, string endToken)
    {
        if (contextLength < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(contextLength), contextLength, "The context must hold at least the start and end tokens.");
        }

        ContextLength = contextLength;
        StartOfText = SpecialId(files, startToken);
        EndOfText = SpecialId(files, endToken);
        VocabularySize = files.Vocabulary.Count;
        var specials = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            [startToken] = StartOfText,
            [endToken] = EndOfText,
        };
        bpe = BpeTokenizer.Create(new BpeOptions(files.Vocabulary)
        {
            Merges = files.Merges,
            EndOfWordSuffix = ClipBpeFiles.EndOfWordSuffix,
            ByteLevel = true,
            SpecialTokens = specials,
            PreTokenizer = ClipPreTokenizer.Instance,
        });
    }

    /// <summary>Number of positions in the model's text input (77 for CLIP); encodings are truncated to it.</summary>
    public int ContextLength { get; }

    public int MaxLength => ContextLength;

    public int StartOfText { get; }

    public int EndOfText { get; }

    /// <summary>Number of distinct tokens (49408 for CLIP); the text model's embedding table must have this many rows.</summary>
    public int VocabularySize { get; }

    /// <summary>
    /// Loads a Hugging Face tokenizer folder (<c>vocab.json</c>, <c>merges.txt</c>, optional <c>tokenizer_config.json</c>),
    /// or, when those are absent, OpenAI's <c>bpe_simple_vocab_16e6.txt.gz</c> in the same folder.
    /// </summary>
    public static ClipTokenizer FromDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"CLIP tokenizer folder '{directory}' does not exist. {ExpectedFilesHint}");
        }

        var config = ClipTokenizerConfig.Read(Path.Combine(directory, ClipBpeFiles.ConfigFileName));
        string vocabPath = Path.Combine(directory, ClipBpeFiles.VocabFileName);
        string mergesPath = Path.Combine(directory, ClipBpeFiles.MergesFileName);
        bool hasVocab = File.Exists(vocabPath);
        bool hasMerges = File.Exists(mergesPath);
        if (hasVocab && hasMerges)
        {
            return new ClipTokenizer(ClipBpeFiles.FromHuggingFace(vocabPath, mergesPath), config.ContextLength, config.StartToken, config.EndToken);
        }

        string gzipPath = Path.Combine(directory, ClipBpeFiles.OpenAiFileName);
        if (!hasVocab && !hasMerges && File.Exists(gzipPath))
        {
            return new ClipTokenizer(ClipBpeFiles.FromOpenAiGzip(gzipPath), config.ContextLength, config.StartToken, config.EndToken);
        }

        string missing = hasVocab ? ClipBpeFiles.MergesFileName : hasMerges ? ClipBpeFiles.VocabFileName
            : $"{ClipBpeFiles.VocabFileName}, {ClipBpeFiles.MergesFileName} and {ClipBpeFiles.OpenAiFileName}";
        throw new FileNotFoundException($"CLIP tokenizer folder '{directory}' lacks {missing}. {ExpectedFilesHint}");
    }

    /// <summary>Loads OpenAI's <c>bpe_simple_vocab_16e6.txt.gz</c>; ids are identical to the Hugging Face files derived from it.</summary>
    public static ClipTokenizer FromBpeGzip(string path, int contextLength = DefaultContextLength)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"CLIP BPE file '{path}' does not exist (expected OpenAI's {ClipBpeFiles.OpenAiFileName}).", path);
        }

        return new ClipTokenizer(ClipBpeFiles.FromOpenAiGzip(path), contextLength, DefaultStartOfTextToken, DefaultEndOfTextToken);
    }

    /// <summary>How many ids the text has with its start and end tokens, before truncation to <see cref="ContextLength"/>.</summary>
    public int CountTokens(string text) => EncodeBody(text).Count + 2;

    /// <summary>Start token, BPE ids, end token; no padding. Too long texts keep their first ids and still end with the end token.</summary>
    public IReadOnlyList<int> Encode(string text)
    {
        var body = EncodeBody(text);
        int kept = Math.Min(body.Count, ContextLength - 2);
        var ids = new int[kept + 2];
        ids[0] = StartOfText;
        for (int i = 0; i < kept; i++)
        {
            ids[i + 1] = body[i];
        }

        ids[kept + 1] = EndOfText;
        return ids;
    }

    /// <summary>
    /// Writes the encoding into one row of a <c>[batch, ContextLength]</c> int64 input, zero padded as the reference pads.
    /// Returns the number of tokens before the padding, so the end token sits at the returned index minus one.
    /// </summary>
    public int EncodePadded(string text, Span<long> destination)
    {
        if (destination.Length != ContextLength)
        {
            throw new ArgumentException($"Destination holds {destination.Length} ids; the context length is {ContextLength}.", nameof(destination));
        }

        var body = EncodeBody(text);
        int kept = Math.Min(body.Count, ContextLength - 2);
        destination[0] = StartOfText;
        for (int i = 0; i < kept; i++)
        {
            destination[i + 1] = body[i];
        }

        destination[kept + 1] = EndOfText;
        destination[(kept + 2)..].Clear();
        return kept + 2;
    }

    private IReadOnlyList<int> EncodeBody(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string cleaned = ClipTextNormalizer.Normalize(text);
        return cleaned.Length == 0 ? [] : bpe.EncodeToIds(cleaned, considerPreTokenization: true, considerNormalization: false);
    }

    private static string ExpectedFilesHint =>
        $"Expected either {ClipBpeFiles.VocabFileName} + {ClipBpeFiles.MergesFileName} (Hugging Face layout, optionally with "
        + $"{ClipBpeFiles.ConfigFileName}) or {ClipBpeFiles.OpenAiFileName} (OpenAI layout).";

    private static int SpecialId(ClipBpeFiles files, string token) =>
        files.Vocabulary.TryGetValue(token, out int id)
            ? id
            : throw new InvalidDataException($"The CLIP vocabulary has no special token '{token}'.");
}
