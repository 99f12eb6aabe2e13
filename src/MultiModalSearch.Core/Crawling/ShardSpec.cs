using System.Globalization;
using System.Text;
using MultiModalSearch.Abstractions.Errors;

namespace MultiModalSearch.Core.Crawling;

/// <summary>Worker <see cref="Index"/> of <see cref="Count"/> ("--shard i/N"); each file belongs to exactly one shard.</summary>
public readonly record struct ShardSpec(int Index, int Count)
{
    private const ulong FnvOffsetBasis = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    /// <summary>Parses "i/N" with 0 &lt;= i &lt; N.</summary>
    /// <exception cref="ArgumentException">The text is not of that form.</exception>
    public static ShardSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split('/');
        if (parts.Length != 2 || !TryParseCount(parts[0], out var index) || !TryParseCount(parts[1], out var count))
        {
            throw new InvalidSettingException("shard", $"must be i/N with whole numbers, e.g. 2/8 (got '{text}')");
        }

        if (count < 1)
        {
            throw new InvalidSettingException("shard", $"needs a shard count N of at least 1 (got '{text}')");
        }

        if (index >= count)
        {
            throw new InvalidSettingException("shard", $"index must be in 0..{count - 1}: shards are numbered from 0 (got '{text}')");
        }

        return new ShardSpec(index, count);
    }

    /// <summary>
    /// Whether this shard owns the '/'-separated path relative to its root. FNV-1a 64 over UTF-8, so every machine,
    /// process and runtime version agrees (string.GetHashCode is randomised per process).
    /// </summary>
    public bool Owns(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        if (Count < 1 || Index < 0 || Index >= Count)
        {
            throw new InvalidOperationException($"Shard {Index}/{Count} is not valid: need 0 <= index < count.");
        }

        return StableHash(relativePath) % (ulong)Count == (ulong)Index;
    }

    internal static ulong StableHash(string text)
    {
        var hash = FnvOffsetBasis;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * FnvPrime;
        }

        return hash;
    }

    // NumberStyles.None: no sign, no spaces, so "-1/4" and "1 /4" are rejected rather than silently accepted.
    private static bool TryParseCount(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
