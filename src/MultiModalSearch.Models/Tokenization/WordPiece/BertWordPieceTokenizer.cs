using MlWordPieceTokenizer = Microsoft.ML.Tokenizers.WordPieceTokenizer;

namespace MultiModalSearch.Models.Tokenization.WordPiece;

/// <summary>
/// BERT's WordPiece tokenizer, matching Hugging Face's BertTokenizerFast id for id: added (special) tokens matched in
/// the raw text, <see cref="BertTextNormalizer"/>, <see cref="BertPreTokenizer"/>, then greedy longest-match-first
/// WordPiece (Microsoft.ML.Tokenizers' model) with <c>##</c> continuation pieces and <c>[UNK]</c> for a word that
/// cannot be covered. Immutable and safe for concurrent use.
/// </summary>
public sealed class BertWordPieceTokenizer : ITextTokenizer
{
    private const int TokensInSingle = 2;
    private const int TokensInPair = 3;

    private readonly MlWordPieceTokenizer model;
    private readonly WordPieceVocabulary vocabulary;
    private readonly WordPieceTokenizerConfig config;
    private readonly (string Content, int Id)[] addedTokens;

    private BertWordPieceTokenizer(WordPieceVocabulary vocabulary, WordPieceTokenizerConfig config, int maxLength)
    {
        if (maxLength < TokensInPair)
        {
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "A BERT input must hold at least [CLS] and two [SEP].");
        }

        this.vocabulary = vocabulary;
        this.config = config;
        MaxLength = maxLength;
        ClsId = SpecialId(config.ClsToken, "cls_token");
        SepId = SpecialId(config.SepToken, "sep_token");
        PadId = vocabulary.Ids.TryGetValue(config.PadToken, out var pad) ? pad : 0;
        UnknownId = SpecialId(config.UnknownToken, "unk_token");
        // Words are measured in code points here; the library counts UTF-16 units, so it is given room for surrogate pairs.
        model = vocabulary.CreateModel(config.UnknownToken, config.ContinuingSubwordPrefix, 2 * config.MaxInputCharsPerWord);
        addedTokens = (config.AddedTokens ?? DefaultSpecialTokens(config, vocabulary))
            .OrderByDescending(t => t.Content.Length)
            .ToArray();
    }

    /// <summary>Longest input in ids, [CLS] and [SEP] included; longer texts are truncated to it.</summary>
    public int MaxLength { get; }

    public int ClsId { get; }

    public int SepId { get; }

    public int PadId { get; }

    public int UnknownId { get; }

    /// <summary>Number of ids the vocabulary spans; the model's embedding table needs at least this many rows.</summary>
    public int VocabularySize => vocabulary.Tokens.Count;

    public BertNormalization Normalization => config.Normalization;

    /// <summary>tokenizer_config.json's model_max_length, when it states a real one.</summary>
    public int? ModelMaxLength => config.ModelMaxLength;

    /// <summary>The length the tokenizer files ask for: tokenizer.json's truncation, else model_max_length, else 512.</summary>
    public int DefaultMaxLength => config.TruncationMaxLength ?? config.ModelMaxLength ?? 512;

    /// <summary>
    /// Loads <c>tokenizer.json</c> (preferred: what transformers' fast tokenizer, the reference, reads) or <c>vocab.txt</c>,
    /// with <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c> when present.
    /// </summary>
    /// <param name="maxLength">Truncation length in ids; default <see cref="DefaultMaxLength"/>.</param>
    /// <param name="lengthLimit">Never truncate to more than this (a model's learned positions).</param>
    public static BertWordPieceTokenizer FromDirectory(string directory, int? maxLength = null, int? lengthLimit = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var config = WordPieceTokenizerConfig.Read(directory);
        var tokenizerJson = Path.Combine(directory, "tokenizer.json");
        var vocabTxt = Path.Combine(directory, "vocab.txt");
        WordPieceVocabulary vocabulary;
        if (File.Exists(tokenizerJson))
        {
            vocabulary = ReadTokenizerJsonVocabulary(tokenizerJson);
        }
        else if (File.Exists(vocabTxt))
        {
            vocabulary = WordPieceVocabulary.FromVocabTxt(vocabTxt);
        }
        else
        {
            throw new FileNotFoundException($"BERT tokenizer folder '{directory}' has neither tokenizer.json nor vocab.txt.", vocabTxt);
        }

        return Create(vocabulary, config, maxLength, lengthLimit);
    }

    /// <summary>A tokenizer over <c>vocab.txt</c> alone (ignoring any tokenizer.json beside it), with the folder's other settings.</summary>
    public static BertWordPieceTokenizer FromVocabTxt(string vocabTxtPath, int? maxLength = null)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(vocabTxtPath))!;
        var config = WordPieceTokenizerConfig.Read(directory) with { AddedTokens = null, TruncationMaxLength = null };
        return Create(WordPieceVocabulary.FromVocabTxt(vocabTxtPath), config, maxLength);
    }

    /// <summary>[CLS], the text's pieces (truncated to <see cref="MaxLength"/> minus two), [SEP].</summary>
    public IReadOnlyList<int> Encode(string text) => EncodeSingle(text).Ids;

    public int CountTokens(string text) => Tokenize(text).Count + 2;

    /// <summary><see cref="Encode"/> with its segment ids (all 0).</summary>
    public BertEncoding EncodeSingle(string text)
    {
        var body = Tokenize(text);
        var kept = Math.Min(body.Count, MaxLength - TokensInSingle);
        var ids = new int[kept + TokensInSingle];
        ids[0] = ClsId;
        for (var i = 0; i < kept; i++)
        {
            ids[i + 1] = body[i];
        }

        ids[^1] = SepId;
        return new BertEncoding(ids, new int[ids.Length]);
    }

    /// <summary>
    /// <c>[CLS] first [SEP] second [SEP]</c>, segments 0 then 1, cut to <see cref="MaxLength"/> by <c>longest_first</c>:
    /// the longer text loses tokens from its end first, and when both must lose, each keeps half the room (the longer
    /// one, or the second of two equal ones, gets the odd one), as Hugging Face tokenizers truncate. (transformers'
    /// slow tokenizers give the odd one to the first text of two equal ones; the fast one is the reference.)
    /// </summary>
    public BertEncoding EncodePair(string first, string second)
    {
        var a = Tokenize(first);
        var b = Tokenize(second);
        var (keepA, keepB) = LongestFirst(a.Count, b.Count, MaxLength - TokensInPair);
        var ids = new int[keepA + keepB + TokensInPair];
        var types = new int[ids.Length];
        var position = 0;
        ids[position++] = ClsId;
        for (var i = 0; i < keepA; i++)
        {
            ids[position++] = a[i];
        }

        ids[position++] = SepId;
        for (var i = 0; i < keepB; i++)
        {
            types[position] = 1;
            ids[position++] = b[i];
        }

        types[position] = 1;
        ids[position] = SepId;
        return new BertEncoding(ids, types);
    }

    /// <summary>The WordPiece ids of <paramref name="text"/>: no special tokens added, nothing truncated.</summary>
    public IReadOnlyList<int> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        var words = new List<(int Offset, int Length)>();
        var start = 0;
        while (start <= text.Length)
        {
            var (position, added) = NextAddedToken(text, start);
            if (position > start)
            {
                TokenizeSegment(text[start..position], ids, words);
            }

            if (added < 0)
            {
                break;
            }

            ids.Add(addedTokens[added].Id);
            start = position + addedTokens[added].Content.Length;
        }

        return ids;
    }

    /// <summary>The token string of <paramref name="id"/>, or null for an id outside the vocabulary.</summary>
    public string? IdToToken(int id) => id >= 0 && id < vocabulary.Tokens.Count ? vocabulary.Tokens[id] : null;

    /// <summary>Kept lengths of two texts of <paramref name="lengthA"/> and <paramref name="lengthB"/> ids within <paramref name="budget"/>.</summary>
    internal static (int A, int B) LongestFirst(int lengthA, int lengthB, int budget)
    {
        if (lengthA + lengthB <= budget)
        {
            return (lengthA, lengthB);
        }

        var swap = lengthA > lengthB;
        var (shorter, longer) = swap ? (lengthB, lengthA) : (lengthA, lengthB);
        longer = shorter > budget ? shorter : Math.Max(shorter, budget - shorter);
        if (shorter + longer > budget)
        {
            shorter = budget / 2;
            longer = shorter + budget % 2;
        }

        return swap ? (longer, shorter) : (shorter, longer);
    }

    private static BertWordPieceTokenizer Create(WordPieceVocabulary vocabulary, WordPieceTokenizerConfig config, int? maxLength, int? lengthLimit = null) =>
        new(vocabulary, config, Math.Min(maxLength ?? config.TruncationMaxLength ?? config.ModelMaxLength ?? 512, lengthLimit ?? int.MaxValue));

    private static WordPieceVocabulary ReadTokenizerJsonVocabulary(string path)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(path));
            if (!document.RootElement.TryGetProperty("model", out var model) || !model.TryGetProperty("vocab", out var vocab))
            {
                throw new InvalidDataException($"{path} has no model.vocab");
            }

            return WordPieceVocabulary.FromTokenizerJson(vocab, path);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private static IEnumerable<(string Content, int Id)> DefaultSpecialTokens(WordPieceTokenizerConfig config, WordPieceVocabulary vocabulary) =>
        new[] { config.PadToken, config.UnknownToken, config.ClsToken, config.SepToken, config.MaskToken }
            .Distinct(StringComparer.Ordinal)
            .Where(vocabulary.Ids.ContainsKey)
            .Select(t => (t, vocabulary.Ids[t]));

    private int SpecialId(string token, string name) =>
        vocabulary.Ids.TryGetValue(token, out var id)
            ? id
            : throw new InvalidDataException($"{vocabulary.Source}: the {name} '{token}' is not in the vocabulary");

    // The leftmost added token at or after start, the longest where several begin there; (text.Length, -1) if none.
    private (int Position, int Index) NextAddedToken(string text, int start)
    {
        var best = (Position: text.Length, Index: -1);
        for (var i = 0; i < addedTokens.Length; i++)
        {
            var at = text.IndexOf(addedTokens[i].Content, start, StringComparison.Ordinal);
            if (at >= 0 && at < best.Position)
            {
                best = (at, i);
            }
        }

        return best;
    }

    private void TokenizeSegment(string segment, List<int> ids, List<(int Offset, int Length)> words)
    {
        var normalized = BertTextNormalizer.Normalize(segment, config.Normalization);
        words.Clear();
        BertPreTokenizer.Split(normalized, words);
        foreach (var (offset, length) in words)
        {
            var word = normalized.AsSpan(offset, length);
            if (CountCodePoints(word) > config.MaxInputCharsPerWord)
            {
                ids.Add(UnknownId);
                continue;
            }

            ids.AddRange(model.EncodeToIds(word, considerPreTokenization: false, considerNormalization: false));
        }
    }

    private static int CountCodePoints(ReadOnlySpan<char> text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
