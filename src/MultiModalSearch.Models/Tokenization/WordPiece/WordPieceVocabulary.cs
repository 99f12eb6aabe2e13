using System.Text;
using System.Text.Json;
using MlWordPieceTokenizer = Microsoft.ML.Tokenizers.WordPieceTokenizer;
using MlWordPieceOptions = Microsoft.ML.Tokenizers.WordPieceOptions;

namespace MultiModalSearch.Models.Tokenization.WordPiece;

/// <summary>A WordPiece vocabulary: token strings by id, from <c>vocab.txt</c> or <c>tokenizer.json</c>'s <c>model.vocab</c>.</summary>
internal sealed class WordPieceVocabulary
{
    private WordPieceVocabulary(string?[] tokens, string source)
    {
        Tokens = tokens;
        Source = source;
        var ids = new Dictionary<string, int>(tokens.Length, StringComparer.Ordinal);
        for (var id = 0; id < tokens.Length; id++)
        {
            // A repeated token maps to its last id, as both reference loaders (a dict filled in order) do.
            if (tokens[id] is { Length: > 0 } token)
            {
                ids[token] = id;
            }
        }

        Ids = ids;
    }

    /// <summary>Token by id; null where no token has the id.</summary>
    public IReadOnlyList<string?> Tokens { get; }

    public IReadOnlyDictionary<string, int> Ids { get; }

    public string Source { get; }

    /// <summary>
    /// One token per line, the line number its id. Lines end at '\n' only (a trailing '\r' is dropped, as for a
    /// Windows file): bert-base-chinese has U+2028 as a token, which line readers that also break at U+2028, U+0085
    /// or form feeds would split, shifting every later id.
    /// </summary>
    public static WordPieceVocabulary FromVocabTxt(string path)
    {
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(File.ReadAllBytes(path));
        var lines = text.Split('\n');
        // The newline after the last token ends that line; it does not start an empty one.
        var count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        var tokens = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var line = lines[i];
            tokens[i] = line.EndsWith('\r') ? line[..^1] : line;
        }

        return new WordPieceVocabulary(tokens, path);
    }

    /// <summary>The <c>vocab</c> object (token -> id) of a tokenizer.json WordPiece model.</summary>
    public static WordPieceVocabulary FromTokenizerJson(JsonElement vocab, string source)
    {
        if (vocab.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{source}: model.vocab must be an object of token -> id");
        }

        var pairs = vocab.EnumerateObject().Select(p => (Token: p.Name, Id: p.Value.GetInt32())).ToList();
        var size = pairs.Count == 0 ? 0 : pairs.Max(p => p.Id) + 1;
        if (pairs.Any(p => p.Id < 0) || size > 10 * pairs.Count + 1000)
        {
            throw new InvalidDataException($"{source}: model.vocab has ids outside 0..{pairs.Count - 1} (largest {size - 1})");
        }

        var tokens = new string?[size];
        foreach (var (token, id) in pairs)
        {
            tokens[id] = token;
        }

        return new WordPieceVocabulary(tokens, source);
    }

    /// <summary>
    /// Microsoft.ML.Tokenizers' WordPiece model over this vocabulary. It reads its vocabulary as lines, so the tokens
    /// are handed over one per line with the ids kept: an id without a token (or a repeat's earlier id) is an empty
    /// line, which it skips while still counting it.
    /// </summary>
    public MlWordPieceTokenizer CreateModel(string unknownToken, string continuingSubwordPrefix, int maxInputCharsPerWord)
    {
        if (!Ids.ContainsKey(unknownToken))
        {
            throw new InvalidDataException($"{Source}: the unknown token '{unknownToken}' is not in the vocabulary");
        }

        var lines = new StringBuilder();
        for (var id = 0; id < Tokens.Count; id++)
        {
            var token = Tokens[id];
            if (token is not null && Ids.TryGetValue(token, out var kept) && kept == id)
            {
                if (token.Contains('\n', StringComparison.Ordinal) || token.Contains('\r', StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"{Source}: token {id} contains a line break, which no WordPiece word can");
                }

                lines.Append(token);
            }

            lines.Append('\n');
        }

        using var stream = new MemoryStream(new UTF8Encoding(false).GetBytes(lines.ToString()));
        return MlWordPieceTokenizer.Create(stream, new MlWordPieceOptions
        {
            UnknownToken = unknownToken,
            ContinuingSubwordPrefix = continuingSubwordPrefix,
            MaxInputCharsPerWord = maxInputCharsPerWord,
        });
    }
}
