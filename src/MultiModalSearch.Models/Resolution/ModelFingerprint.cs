using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MultiModalSearch.Models.Resolution;

/// <summary>
/// What a model is, as opposed to where it lies: a SHA-256 over everything in its folder that decides its embeddings.
/// A collection records it, so changed weights in the same folder are caught, and the same model under another path or
/// as a Hub id is recognised. Chosen to be cheap (tens of milliseconds for any size) yet to change with any real change:
/// <list type="bullet">
/// <item>configuration files (config.json, preprocessing, tokenizer settings) as canonical JSON: key order, spacing and
/// the bookkeeping keys a re-save rewrites (<c>_name_or_path</c>, <c>transformers_version</c>) do not count;</item>
/// <item>vocabularies and tokenizer models byte for byte (a few MB at most);</item>
/// <item>each safetensors file's header (every tensor's name, dtype, shape and offsets) and three 4 KiB samples of every
/// tensor (start, middle, end): any fine-tuning, retraining or precision change moves those bytes. Reading all weights
/// would cost seconds per GB at every load; an edit of single weights elsewhere in a tensor is not caught, and need not
/// be: that is not how models change.</item>
/// </list>
/// </summary>
public static class ModelFingerprint
{
    private const int SampleBytes = 4096;

    private static readonly string[] JsonFiles =
    [
        "config.json", "preprocessor_config.json", "processor_config.json", "tokenizer_config.json", "special_tokens_map.json",
        "added_tokens.json", "modules.json", "sentence_bert_config.json", "1_Pooling/config.json", "model.safetensors.index.json",
    ];

    private static readonly string[] ExactFiles =
        ["vocab.json", "merges.txt", "vocab.txt", "tokenizer.json", "tokenizer.model", "bpe_simple_vocab_16e6.txt.gz"];

    private static readonly string[] VolatileKeys = ["_name_or_path", "transformers_version", "_commit_hash", "_attn_implementation_autoset"];

    /// <summary>The fingerprint of the model in <paramref name="directory"/>, as 64 lower-case hex digits.</summary>
    /// <exception cref="InvalidDataException">A configuration or weights file is unreadable.</exception>
    public static string Compute(string directory)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in JsonFiles.Where(n => File.Exists(Path.Combine(directory, n))))
        {
            Add(hash, name, CanonicalJson(Path.Combine(directory, name)));
        }

        foreach (var name in ExactFiles.Where(n => File.Exists(Path.Combine(directory, n))))
        {
            Add(hash, name, File.ReadAllBytes(Path.Combine(directory, name)));
        }

        foreach (var weights in Directory.EnumerateFiles(directory, "*.safetensors").Order(StringComparer.Ordinal))
        {
            AddWeights(hash, weights);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The short form shown to people (the first 12 hex digits).</summary>
    public static string Abbreviate(string fingerprint) => fingerprint.Length > 12 ? fingerprint[..12] : fingerprint;

    private static void Add(IncrementalHash hash, string name, ReadOnlySpan<byte> content)
    {
        // Name and length first, so that no two different sets of files hash the same stream of bytes.
        hash.AppendData(Encoding.UTF8.GetBytes(name));
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, content.Length);
        hash.AppendData(length);
        hash.AppendData(content);
    }

    private static byte[] CanonicalJson(string path)
    {
        try
        {
            return Encoding.UTF8.GetBytes(Canonical(JsonNode.Parse(File.ReadAllBytes(path)))?.ToJsonString() ?? "null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Objects with sorted keys and without bookkeeping keys, recursively.</summary>
    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Where(p => !VolatileKeys.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Canonical).ToArray()),
        _ => node?.DeepClone(),
    };

    private static void AddWeights(IncrementalHash hash, string path)
    {
        using var file = File.OpenHandle(path);
        var length = RandomAccess.GetLength(file);
        Span<byte> prefix = stackalloc byte[8];
        if (length < 8 || RandomAccess.Read(file, prefix, 0) != 8)
        {
            throw new InvalidDataException($"{path} is too short to be a safetensors file");
        }

        var headerLength = BinaryPrimitives.ReadInt64LittleEndian(prefix);
        if (headerLength <= 0 || headerLength > Math.Min(length - 8, 100_000_000))
        {
            throw new InvalidDataException($"{path} has an invalid safetensors header length ({headerLength})");
        }

        var header = new byte[headerLength];
        RandomAccess.Read(file, header, 8);
        Add(hash, Path.GetFileName(path), header);
        var dataStart = 8 + headerLength;
        var sample = new byte[SampleBytes];
        foreach (var (start, end) in TensorRanges(header, path))
        {
            foreach (var offset in SampleOffsets(start, end))
            {
                var count = (int)Math.Min(SampleBytes, end - offset);
                var read = RandomAccess.Read(file, sample.AsSpan(0, count), dataStart + offset);
                hash.AppendData(sample.AsSpan(0, read));
            }
        }
    }

    private static IEnumerable<long> SampleOffsets(long start, long end)
    {
        yield return start;
        if (end - start > 2 * SampleBytes)
        {
            yield return start + ((end - start) / 2);
        }

        if (end - start > SampleBytes)
        {
            yield return Math.Max(start, end - SampleBytes);
        }
    }

    /// <summary>The data offsets of every tensor, in key order (the header's own order is not guaranteed).</summary>
    private static List<(long Start, long End)> TensorRanges(byte[] header, string path)
    {
        try
        {
            using var json = JsonDocument.Parse(header);
            return json.RootElement.EnumerateObject()
                .Where(p => p.Name != "__metadata__")
                .OrderBy(p => p.Name, StringComparer.Ordinal)
                .Select(p => p.Value.GetProperty("data_offsets"))
                .Select(o => (o[0].GetInt64(), o[1].GetInt64()))
                .ToList();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path} has an unreadable safetensors header: {e.Message}", e);
        }
    }
}
