using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace MultiModalSearch.Models.Tokenization.Clip;

/// <summary>Vocabulary and merge list of a CLIP BPE model, read from either file layout.</summary>
internal sealed class ClipBpeFiles
{
    public const string VocabFileName = "vocab.json";
    public const string MergesFileName = "merges.txt";
    public const string OpenAiFileName = "bpe_simple_vocab_16e6.txt.gz";
    public const string ConfigFileName = "tokenizer_config.json";
    public const string EndOfWordSuffix = "</w>";

    // OpenAI's file holds more merges than CLIP was trained with; the reference keeps lines 1..48894.
    private const int OpenAiMergeCount = 49152 - 256 - 2;

    private ClipBpeFiles(Dictionary<string, int> vocabulary, List<string> merges)
    {
        Vocabulary = vocabulary;
        Merges = merges;
    }

    public Dictionary<string, int> Vocabulary { get; }

    /// <summary>Merges as "left right", highest priority first.</summary>
    public List<string> Merges { get; }

    /// <summary>Hugging Face layout: <c>vocab.json</c> (token to id) and <c>merges.txt</c> (after a <c>#version</c> line).</summary>
    public static ClipBpeFiles FromHuggingFace(string vocabPath, string mergesPath)
    {
        var vocabulary = ReadVocabulary(vocabPath);
        var merges = new List<string>(OpenAiMergeCount);
        foreach (string line in File.ReadLines(mergesPath))
        {
            if (line.Length == 0 || (merges.Count == 0 && line.StartsWith("#version", StringComparison.Ordinal)))
            {
                continue;
            }

            merges.Add(line);
        }

        return new ClipBpeFiles(vocabulary, merges);
    }

    /// <summary>
    /// OpenAI layout: the gzip'd merge list alone. The vocabulary is rebuilt the way the reference does it:
    /// the 256 byte symbols, the same with <c>&lt;/w&gt;</c>, one token per merge, then the two special tokens.
    /// </summary>
    public static ClipBpeFiles FromOpenAiGzip(string path)
    {
        var merges = ReadOpenAiMerges(path);
        var tokens = new List<string>(2 * 256 + merges.Count + 2);
        tokens.AddRange(ByteSymbols().Select(symbol => symbol.ToString()));
        tokens.AddRange(ByteSymbols().Select(symbol => symbol + EndOfWordSuffix));
        tokens.AddRange(merges.Select(merge => merge.Replace(" ", string.Empty, StringComparison.Ordinal)));
        tokens.Add("<|startoftext|>");
        tokens.Add("<|endoftext|>");

        // Python's dict(zip(vocab, range(len(vocab)))): ids are list positions, and a repeated token keeps its last id.
        var vocabulary = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        for (int id = 0; id < tokens.Count; id++)
        {
            vocabulary[tokens[id]] = id;
        }

        return new ClipBpeFiles(vocabulary, merges);
    }

    private static List<string> ReadOpenAiMerges(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        reader.ReadLine(); // the version header
        var merges = new List<string>(OpenAiMergeCount);
        while (merges.Count < OpenAiMergeCount && reader.ReadLine() is { } line)
        {
            merges.Add(line);
        }

        return merges;
    }

    /// <summary>
    /// GPT-2's bytes_to_unicode values in the reference's order: the printable Latin-1 bytes map to themselves,
    /// the other 68 bytes to U+0100 onwards. This order fixes the ids 0..511 of a vocabulary rebuilt from the gzip file.
    /// </summary>
    private static IEnumerable<char> ByteSymbols()
    {
        for (int b = 0; b < 256; b++)
        {
            if (IsPrintableByte(b))
            {
                yield return (char)b;
            }
        }

        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            if (!IsPrintableByte(b))
            {
                yield return (char)next++;
            }
        }
    }

    private static bool IsPrintableByte(int b) => b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;

    private static Dictionary<string, int> ReadVocabulary(string path)
    {
        using var stream = File.OpenRead(path);
        using var doc = JsonDocument.Parse(stream);
        var vocabulary = new Dictionary<string, int>(doc.RootElement.GetPropertyCount(), StringComparer.Ordinal);
        foreach (var property in doc.RootElement.EnumerateObject())
        {
            vocabulary[property.Name] = property.Value.GetInt32();
        }

        return vocabulary;
    }
}
