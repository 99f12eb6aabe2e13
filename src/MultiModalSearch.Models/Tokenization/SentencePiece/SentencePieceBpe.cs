using System.Text;

namespace MultiModalSearch.Models.Tokenization.SentencePiece;

/// <summary>
/// SentencePiece's BPE model (bpe_model.cc semantics) with the identity normalizer Llama uses: spaces become U+2581,
/// optionally behind a dummy-prefix space; the text starts as one symbol per character; the adjacent pair whose merged
/// piece has the highest score is merged first, ties going to the leftmost pair; characters left outside the vocabulary
/// become their UTF-8 bytes' pieces (byte fallback) or the unknown id.
/// </summary>
/// <remarks>
/// Written here rather than taken from Microsoft.ML.Tokenizers: its SentencePiece BPE (2.0.1 and 3.0.0) breaks ties
/// between equal-score merges in another order than SentencePiece, so runs of one character (markdown table rules
/// "|-----|", runs of spaces, "aaaa") get other ids than the reference, and its score table is internal, so the merge
/// order cannot be corrected from outside. Instances are immutable and safe for concurrent use.
/// </remarks>
public sealed class SentencePieceBpe
{
    private const char SpaceSymbol = '\u2581';
    private readonly Dictionary<string, int> mergeable = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> mergeableBySpan;
    private readonly int[] byteIds = new int[256];
    private readonly string[] userDefined;

    public SentencePieceBpe(SentencePieceModelFile model, string source = "tokenizer.model")
    {
        if (model.ModelType != SentencePieceModelFile.BpeModel)
        {
            throw new InvalidDataException($"{source} is a SentencePiece model of type {model.ModelType}; only BPE models (type 2, as Llama's) are supported");
        }

        if (model.HasCharacterMap || model.NormalizerName is not ("identity" or ""))
        {
            throw new InvalidDataException($"{source} uses the '{model.NormalizerName}' normalization rule; only the identity rule (as Llama's) is supported");
        }

        Model = model;
        Pieces = model.Pieces;
        Array.Fill(byteIds, -1);
        for (var id = 0; id < Pieces.Count; id++)
        {
            var piece = Pieces[id];
            if (piece.Type is SentencePieceType.Normal or SentencePieceType.UserDefined or SentencePieceType.Unused)
            {
                mergeable.TryAdd(piece.Piece, id);
            }
            else if (piece.Type == SentencePieceType.Byte && TryParseByte(piece.Piece, out var value))
            {
                byteIds[value] = id;
            }
        }

        mergeableBySpan = mergeable.GetAlternateLookup<ReadOnlySpan<char>>();
        // Longest first, so that the first match at a position is the longest.
        userDefined = Pieces.Where(p => p.Type == SentencePieceType.UserDefined).Select(p => p.Piece)
            .OrderByDescending(p => p.Length).ToArray();
        if (model.ByteFallback && byteIds.Contains(-1))
        {
            throw new InvalidDataException($"{source} enables byte fallback but lacks some of the 256 <0xXX> pieces");
        }
    }

    public SentencePieceModelFile Model { get; }

    public IReadOnlyList<SentencePiecePiece> Pieces { get; }

    public int VocabularySize => Pieces.Count;

    public bool AddsDummyPrefix => Model.AddDummyPrefix;

    public static SentencePieceBpe FromFile(string path) => new(SentencePieceModelFile.Read(path), path);

    /// <summary>
    /// The ids of <paramref name="text"/>, without BOS or EOS. <paramref name="addDummyPrefix"/> overrides the model's
    /// own setting (Hugging Face's non-legacy Llama tokenizer adds it only at the start of the whole text).
    /// </summary>
    public List<int> Encode(ReadOnlySpan<char> text, bool? addDummyPrefix = null)
    {
        var ids = new List<int>();
        Encode(text, ids, addDummyPrefix);
        return ids;
    }

    public void Encode(ReadOnlySpan<char> text, List<int> ids, bool? addDummyPrefix = null)
    {
        var normalized = Normalize(text, addDummyPrefix ?? Model.AddDummyPrefix);
        if (normalized.Length == 0)
        {
            return;
        }

        var symbols = Merge(normalized, out var reverseMerges);
        var previousWasUnknown = false;
        for (var index = 0; index != -1; index = symbols[index].Next)
        {
            var symbol = symbols[index];
            previousWasUnknown = Emit(normalized.AsSpan(symbol.Start, symbol.Length), ids, reverseMerges, previousWasUnknown);
        }
    }

    /// <summary>The UTF-8 bytes the ids stand for (spaces restored, byte pieces as their byte, control pieces as nothing).</summary>
    public void AppendBytes(int id, List<byte> bytes)
    {
        var piece = Pieces[id];
        switch (piece.Type)
        {
            case SentencePieceType.Control:
                return;
            case SentencePieceType.Byte when TryParseByte(piece.Piece, out var value):
                bytes.Add(value);
                return;
            case SentencePieceType.Unknown:
                bytes.AddRange(Encoding.UTF8.GetBytes(Model.UnknownSurface));
                return;
            default:
                bytes.AddRange(Encoding.UTF8.GetBytes(piece.Piece.Replace(SpaceSymbol, ' ')));
                return;
        }
    }

    public int? PieceToId(string piece)
    {
        if (mergeable.TryGetValue(piece, out var id))
        {
            return id;
        }

        for (var i = 0; i < Pieces.Count; i++)
        {
            if (Pieces[i].Piece == piece)
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>Identity normalization: optional whitespace squeezing, the dummy-prefix space, spaces as U+2581.</summary>
    private string Normalize(ReadOnlySpan<char> text, bool addDummyPrefix)
    {
        var builder = new StringBuilder(text.Length + 1);
        var squeezed = Model.RemoveExtraWhitespaces ? SqueezeSpaces(text) : text.ToString();
        if (squeezed.Length == 0)
        {
            return "";
        }

        var space = Model.EscapeWhitespaces ? SpaceSymbol : ' ';
        if (addDummyPrefix && !Model.TreatWhitespaceAsSuffix)
        {
            builder.Append(space);
        }

        foreach (var c in squeezed)
        {
            builder.Append(c == ' ' ? space : c);
        }

        if (addDummyPrefix && Model.TreatWhitespaceAsSuffix)
        {
            builder.Append(space);
        }

        return builder.ToString();
    }

    private static string SqueezeSpaces(ReadOnlySpan<char> text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text.Trim(' '))
        {
            if (c == ' ')
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private Symbol[] Merge(string text, out Dictionary<string, (string Left, string Right)>? reverseMerges)
    {
        var symbols = Split(text);
        Dictionary<string, (string Left, string Right)>? unusedMerges = null;
        var agenda = new PriorityQueue<Candidate, Candidate>(CandidateOrder.Instance);
        for (var i = 1; i < symbols.Length; i++)
        {
            TryAddPair(i - 1, i);
        }

        while (agenda.TryDequeue(out var top, out _))
        {
            ref var left = ref symbols[top.Left];
            ref var right = ref symbols[top.Right];
            // Stale: one side was merged into something else since this pair was queued.
            if (left.Length == 0 || right.Length == 0 || left.Length + right.Length != top.Length)
            {
                continue;
            }

            left.Length += right.Length;
            left.Next = right.Next;
            if (right.Next >= 0)
            {
                symbols[right.Next].Previous = top.Left;
            }

            right.Length = 0;
            TryAddPair(left.Previous, top.Left);
            TryAddPair(top.Left, left.Next);
        }

        reverseMerges = unusedMerges;
        return symbols;

        void TryAddPair(int leftIndex, int rightIndex)
        {
            if (leftIndex < 0 || rightIndex < 0 || symbols[leftIndex].Frozen || symbols[rightIndex].Frozen)
            {
                return;
            }

            var start = symbols[leftIndex].Start;
            var length = symbols[leftIndex].Length + symbols[rightIndex].Length;
            if (!mergeableBySpan.TryGetValue(text.AsSpan(start, length), out var id))
            {
                return;
            }

            var candidate = new Candidate(leftIndex, rightIndex, Pieces[id].Score, length);
            agenda.Enqueue(candidate, candidate);
            if (Pieces[id].Type == SentencePieceType.Unused)
            {
                unusedMerges ??= new Dictionary<string, (string, string)>(StringComparer.Ordinal);
                unusedMerges[text.Substring(start, length)] =
                    (text.Substring(start, symbols[leftIndex].Length), text.Substring(symbols[rightIndex].Start, symbols[rightIndex].Length));
            }
        }
    }

    /// <summary>One symbol per character (a surrogate pair is one character); user-defined pieces stay whole and never merge.</summary>
    private Symbol[] Split(string text)
    {
        var symbols = new List<Symbol>(text.Length);
        var position = 0;
        while (position < text.Length)
        {
            var length = char.IsHighSurrogate(text[position]) && position + 1 < text.Length && char.IsLowSurrogate(text[position + 1]) ? 2 : 1;
            var frozen = false;
            foreach (var piece in userDefined)
            {
                if (text.AsSpan(position).StartsWith(piece, StringComparison.Ordinal))
                {
                    length = piece.Length;
                    frozen = true;
                    break;
                }
            }

            var index = symbols.Count;
            symbols.Add(new Symbol { Start = position, Length = length, Previous = index - 1, Next = position + length < text.Length ? index + 1 : -1, Frozen = frozen });
            position += length;
        }

        return symbols.ToArray();
    }

    /// <summary>Writes one final symbol's ids; returns whether it was an unknown id (consecutive unknowns collapse into one).</summary>
    private bool Emit(ReadOnlySpan<char> piece, List<int> ids, Dictionary<string, (string Left, string Right)>? reverseMerges, bool previousWasUnknown)
    {
        if (mergeableBySpan.TryGetValue(piece, out var id))
        {
            if (Pieces[id].Type == SentencePieceType.Unused && reverseMerges is not null && reverseMerges.TryGetValue(piece.ToString(), out var parts))
            {
                // An unused piece is only a stepping stone: emit the pieces it was merged from.
                var afterLeft = Emit(parts.Left, ids, reverseMerges, previousWasUnknown);
                return Emit(parts.Right, ids, reverseMerges, afterLeft);
            }

            ids.Add(id);
            return false;
        }

        if (Model.ByteFallback)
        {
            Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(piece.Length)];
            var count = Encoding.UTF8.GetBytes(piece, utf8);
            foreach (var b in utf8[..count])
            {
                ids.Add(byteIds[b]);
            }

            return false;
        }

        if (!previousWasUnknown)
        {
            ids.Add(Model.UnknownId);
        }

        return true;
    }

    private static bool TryParseByte(string piece, out byte value)
    {
        value = 0;
        return piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal) && piece[5] == '>'
            && byte.TryParse(piece.AsSpan(3, 2), System.Globalization.NumberStyles.HexNumber, null, out value);
    }

    private struct Symbol
    {
        public int Start;
        public int Length;
        public int Previous;
        public int Next;
        public bool Frozen;
    }

    private readonly record struct Candidate(int Left, int Right, float Score, int Length);

    /// <summary>Highest score first; among equal scores the leftmost pair, as SentencePiece's agenda orders them.</summary>
    private sealed class CandidateOrder : IComparer<Candidate>
    {
        public static CandidateOrder Instance { get; } = new();

        public int Compare(Candidate x, Candidate y)
        {
            var byScore = y.Score.CompareTo(x.Score);
            return byScore != 0 ? byScore : x.Left.CompareTo(y.Left);
        }
    }
}
