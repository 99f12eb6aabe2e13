using System.Text;

namespace MultiModalSearch.Models.Tokenization.SentencePiece;

/// <summary>
/// The Llama tokenizer as Hugging Face applies it (LlamaTokenizer / LlamaTokenizerFast): added tokens such as
/// <c>&lt;image&gt;</c> and <c>&lt;s&gt;</c> are cut out of the text first (longest match, left to right), each text
/// segment between them is SentencePiece-encoded on its own (with the dummy-prefix space in the legacy mode llava-hf
/// uses), and BOS/EOS are added as <c>tokenizer_config.json</c> says. Immutable and thread-safe.
/// </summary>
public sealed class LlamaTokenizer
{
    private readonly AddedToken[] addedByLength;
    private readonly Dictionary<int, AddedToken> addedById;
    private readonly HashSet<int> specialIds;

    public LlamaTokenizer(SentencePieceBpe model, LlamaTokenizerConfig config)
    {
        Model = model;
        Config = config;
        addedById = config.AddedTokens.ToDictionary(t => t.Id);
        addedByLength = config.AddedTokens.Where(t => t.Content.Length > 0).OrderByDescending(t => t.Content.Length).ToArray();
        BosTokenId = IdOf(config.BosToken) ?? model.Model.BosId;
        EosTokenId = IdOf(config.EosToken) ?? model.Model.EosId;
        UnknownTokenId = IdOf(config.UnkToken) ?? model.Model.UnknownId;
        PadTokenId = config.PadToken is null ? null : IdOf(config.PadToken);
        specialIds = [.. config.AddedTokens.Where(t => t.Special).Select(t => t.Id), BosTokenId, EosTokenId, UnknownTokenId];
        if (PadTokenId is { } pad)
        {
            specialIds.Add(pad);
        }

        VocabularySize = Math.Max(model.VocabularySize, config.AddedTokens.Count == 0 ? 0 : config.AddedTokens.Max(t => t.Id) + 1);
    }

    public SentencePieceBpe Model { get; }

    public LlamaTokenizerConfig Config { get; }

    public int BosTokenId { get; }

    public int EosTokenId { get; }

    public int UnknownTokenId { get; }

    public int? PadTokenId { get; }

    /// <summary>SentencePiece pieces plus added tokens (32002 for llava-hf; the model's embedding table may be padded beyond).</summary>
    public int VocabularySize { get; }

    /// <summary>
    /// Loads <c>tokenizer.model</c> and the JSON files beside it. Throws <see cref="FileNotFoundException"/> naming the
    /// folder when the SentencePiece model is missing.
    /// </summary>
    public static LlamaTokenizer FromDirectory(string directory)
    {
        var modelPath = Path.Combine(directory, LlamaTokenizerConfig.ModelFileName);
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException(
                $"{directory} has no {LlamaTokenizerConfig.ModelFileName}: the Llama tokenizer needs its SentencePiece model " +
                $"(with {LlamaTokenizerConfig.ConfigFileName} beside it); tokenizer.json alone is not supported", modelPath);
        }

        return new LlamaTokenizer(SentencePieceBpe.FromFile(modelPath), LlamaTokenizerConfig.Read(directory));
    }

    /// <summary>The id of an added token or a piece, or null.</summary>
    public int? IdOf(string token)
    {
        foreach (var added in addedByLength)
        {
            if (added.Content == token)
            {
                return added.Id;
            }
        }

        return Model.PieceToId(token);
    }

    public bool IsSpecial(int id) => specialIds.Contains(id);

    /// <summary>The token's text as stored: an added token's content or the SentencePiece piece (U+2581 for spaces).</summary>
    public string IdToToken(int id) =>
        addedById.TryGetValue(id, out var added) ? added.Content
        : id >= 0 && id < Model.VocabularySize ? Model.Pieces[id].Piece
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"the tokenizer has {VocabularySize} tokens");

    /// <summary>Ids for <paramref name="text"/>; with <paramref name="addSpecialTokens"/>, BOS and EOS as configured.</summary>
    public List<int> Encode(string text, bool addSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        if (addSpecialTokens && Config.AddBosToken)
        {
            ids.Add(BosTokenId);
        }

        var first = true;
        foreach (var (segment, added) in Split(text))
        {
            if (added is not null)
            {
                ids.Add(added.Id);
            }
            else if (segment.Length > 0)
            {
                // Legacy: every segment gets the dummy prefix. Non-legacy: only a segment at the very start does.
                Model.Encode(segment, ids, Config.Legacy ? null : first && Model.AddsDummyPrefix);
            }

            first = false;
        }

        if (addSpecialTokens && Config.AddEosToken)
        {
            ids.Add(EosTokenId);
        }

        return ids;
    }

    /// <summary>
    /// The text of <paramref name="ids"/>: byte pieces joined into UTF-8 (invalid sequences become U+FFFD), U+2581 as
    /// spaces, the dummy-prefix space removed from the start; special tokens dropped unless asked for.
    /// </summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        var text = new StringBuilder();
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            if (skipSpecialTokens && IsSpecial(id))
            {
                continue;
            }

            if (addedById.TryGetValue(id, out var added) && (id >= Model.VocabularySize || Model.Pieces[id].Type == SentencePieceType.Control))
            {
                text.Append(Encoding.UTF8.GetString(bytes.ToArray())).Append(added.Content);
                bytes.Clear();
                continue;
            }

            if (id < 0 || id >= Model.VocabularySize)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"id {id} is not in the tokenizer's vocabulary of {VocabularySize}");
            }

            Model.AppendBytes(id, bytes);
        }

        text.Append(Encoding.UTF8.GetString(bytes.ToArray()));
        if (Model.AddsDummyPrefix && text.Length > 0 && text[0] == ' ')
        {
            text.Remove(0, 1);
        }

        return text.ToString();
    }

    /// <summary>The text cut at added tokens: (segment, null) for text, ("", token) for an added token.</summary>
    private List<(string Segment, AddedToken? Added)> Split(string text)
    {
        var parts = new List<(string, AddedToken?)>();
        var segmentStart = 0;
        var position = 0;
        while (position < text.Length)
        {
            var match = MatchAt(text, position);
            if (match is null)
            {
                position++;
                continue;
            }

            var segmentEnd = position;
            if (match.LStrip)
            {
                while (segmentEnd > segmentStart && char.IsWhiteSpace(text[segmentEnd - 1]))
                {
                    segmentEnd--;
                }
            }

            parts.Add((text[segmentStart..segmentEnd], null));
            parts.Add(("", match));
            position += match.Content.Length;
            if (match.RStrip)
            {
                while (position < text.Length && char.IsWhiteSpace(text[position]))
                {
                    position++;
                }
            }

            segmentStart = position;
        }

        parts.Add((text[segmentStart..], null));
        return parts;
    }

    private AddedToken? MatchAt(string text, int position)
    {
        foreach (var token in addedByLength)
        {
            if (string.CompareOrdinal(text, position, token.Content, 0, token.Content.Length) == 0)
            {
                return token;
            }
        }

        return null;
    }
}
