using MultiModalSearch.Models.Tokenization.SentencePiece;

namespace MultiModalSearch.Training.Tokenization;

/// <summary>
/// Learns a small SentencePiece BPE vocabulary in Llama's layout from the texts a model will see: <c>&lt;unk&gt;</c>,
/// <c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c>, the 256 byte-fallback pieces, the merged pieces in the order they were learned
/// (scores 0, -1, -2, ...: SentencePiece's encoder merges the highest-scoring pair first, which replays that order),
/// then every character seen. Words are whitespace-separated with the space (U+2581) at their start, so pieces never
/// span two words, as spm_train's split_by_whitespace. Control characters (the newline of LLaVA's prompt) get no
/// piece and are written as bytes, as in Llama's own vocabulary. Deterministic: ties go to the ordinally smaller pair.
/// </summary>
public static class SentencePieceBpeTrainer
{
    private const char SpaceSymbol = '\u2581';
    private const int SpecialAndBytePieces = 3 + 256;

    /// <param name="texts">The training texts, each as the tokenizer will see a text segment (a dummy-prefix space is added).</param>
    /// <param name="vocabularySize">Pieces in all; merging stops earlier when no pair occurs <paramref name="minimumFrequency"/> times.</param>
    public static SentencePieceModelFile Train(IEnumerable<string> texts, int vocabularySize, int minimumFrequency = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumFrequency, 1);
        var words = CountWords(texts);
        var characters = CountCharacters(words);
        var budget = vocabularySize - SpecialAndBytePieces - characters.Count;
        if (budget < 0)
        {
            throw new ArgumentException(
                $"a vocabulary of {vocabularySize} pieces cannot hold the {SpecialAndBytePieces} special and byte pieces and the {characters.Count} characters of the texts (needs at least {SpecialAndBytePieces + characters.Count})",
                nameof(vocabularySize));
        }

        var merges = LearnMerges(words, budget, minimumFrequency);
        return Assemble(merges, characters);
    }

    /// <summary>Distinct words with their counts, each as a list of one-character symbols (a surrogate pair is one).</summary>
    private static List<(List<string> Symbols, long Count)> CountWords(IEnumerable<string> texts)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            var normalized = SpaceSymbol + text.Replace(' ', SpaceSymbol);
            var start = 0;
            for (var i = 1; i <= normalized.Length; i++)
            {
                if (i == normalized.Length || normalized[i] == SpaceSymbol)
                {
                    var word = normalized[start..i];
                    counts[word] = counts.GetValueOrDefault(word) + 1;
                    start = i;
                }
            }
        }

        return counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => (Symbols(c.Key), c.Value)).ToList();
    }

    private static List<string> Symbols(string word)
    {
        var symbols = new List<string>(word.Length);
        for (var i = 0; i < word.Length; i += char.IsSurrogatePair(word, i) ? 2 : 1)
        {
            symbols.Add(word.Substring(i, char.IsSurrogatePair(word, i) ? 2 : 1));
        }

        return symbols;
    }

    /// <summary>Characters that get a piece, most frequent first (ties by ordinal).</summary>
    private static List<string> CountCharacters(List<(List<string> Symbols, long Count)> words)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (symbols, count) in words)
        {
            foreach (var symbol in symbols.Where(IsMergeable))
            {
                counts[symbol] = counts.GetValueOrDefault(symbol) + count;
            }
        }

        return counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Key).ToList();
    }

    private static bool IsMergeable(string symbol) => !(symbol.Length == 1 && char.IsControl(symbol[0]));

    /// <summary>Classic BPE over the word counts: the most frequent adjacent pair is merged everywhere, until the budget is spent.</summary>
    private static List<string> LearnMerges(List<(List<string> Symbols, long Count)> words, int budget, int minimumFrequency)
    {
        var merged = new List<string>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        while (merged.Count < budget)
        {
            var best = MostFrequentPair(words);
            if (best is not { } pair || pair.Count < minimumFrequency)
            {
                break;
            }

            var piece = pair.Left + pair.Right;
            foreach (var (symbols, _) in words)
            {
                Merge(symbols, pair.Left, pair.Right, piece);
            }

            // Two different splits can spell the same piece; it is one piece, learned the first time.
            if (known.Add(piece))
            {
                merged.Add(piece);
            }
        }

        return merged;
    }

    private static (string Left, string Right, long Count)? MostFrequentPair(List<(List<string> Symbols, long Count)> words)
    {
        var counts = new Dictionary<(string, string), long>();
        foreach (var (symbols, count) in words)
        {
            for (var i = 1; i < symbols.Count; i++)
            {
                if (IsMergeable(symbols[i - 1]) && IsMergeable(symbols[i]))
                {
                    var key = (symbols[i - 1], symbols[i]);
                    counts[key] = counts.GetValueOrDefault(key) + count;
                }
            }
        }

        (string Left, string Right, long Count)? best = null;
        foreach (var ((left, right), count) in counts)
        {
            if (best is not { } current || count > current.Count
                || (count == current.Count && ComparePair(left, right, current.Left, current.Right) < 0))
            {
                best = (left, right, count);
            }
        }

        return best;
    }

    private static int ComparePair(string left, string right, string otherLeft, string otherRight)
    {
        var byLeft = string.CompareOrdinal(left, otherLeft);
        return byLeft != 0 ? byLeft : string.CompareOrdinal(right, otherRight);
    }

    private static void Merge(List<string> symbols, string left, string right, string piece)
    {
        for (var i = 0; i < symbols.Count - 1; i++)
        {
            if (symbols[i] == left && symbols[i + 1] == right)
            {
                symbols[i] = piece;
                symbols.RemoveAt(i + 1);
            }
        }
    }

    private static SentencePieceModelFile Assemble(List<string> merges, List<string> characters)
    {
        var pieces = new List<SentencePiecePiece>
        {
            new("<unk>", 0, SentencePieceType.Unknown),
            new("<s>", 0, SentencePieceType.Control),
            new("</s>", 0, SentencePieceType.Control),
        };
        for (var b = 0; b < 256; b++)
        {
            pieces.Add(new SentencePiecePiece($"<0x{b:X2}>", 0, SentencePieceType.Byte));
        }

        var rank = 0;
        foreach (var piece in merges)
        {
            pieces.Add(new SentencePiecePiece(piece, -rank++, SentencePieceType.Normal));
        }

        foreach (var character in characters)
        {
            pieces.Add(new SentencePiecePiece(character, -rank++, SentencePieceType.Normal));
        }

        return new SentencePieceModelFile
        {
            Pieces = pieces,
            ModelType = SentencePieceModelFile.BpeModel,
            ByteFallback = true,
            UnknownId = 0,
            BosId = 1,
            EosId = 2,
            PadId = -1,
            NormalizerName = "identity",
            AddDummyPrefix = true,
            RemoveExtraWhitespaces = false,
            EscapeWhitespaces = true,
        };
    }
}
