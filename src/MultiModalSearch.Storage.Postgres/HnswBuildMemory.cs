using System.Globalization;
using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Storage.Postgres;

/// <summary>
/// How much <c>maintenance_work_mem</c> an HNSW build gets. pgvector builds the graph in memory and, once it no longer
/// fits, goes on inserting tuple by tuple on disk, 3-10x slower (docs/benchmarks.md: a 1M-row build under 1GB). So the
/// build asks for what this collection's graph needs, up to <see cref="Cap"/>, and never less than the server already
/// grants (a DBA's larger setting wins).
/// </summary>
public sealed record HnswBuildMemory(long Cap)
{
    public const long MiB = 1L << 20;
    public const long GiB = 1L << 30;

    /// <summary>pgvector's per-element cost beside the value: neighbour arrays for 2m links, element header, tuple id list (measured: 1GB held ~630k 512-d halfvec rows).</summary>
    public const long OverheadPerRow = 700;

    /// <summary>What an external server is asked for by default: its memory is not ours to guess.</summary>
    public static readonly HnswBuildMemory ExternalDefault = new(GiB);

    /// <summary>Small builds still get a sensible floor; parallel builds allocate the whole setting as shared memory, so no more than needed.</summary>
    public const long Floor = 64 * MiB;

    /// <summary>The embedded cluster runs on this machine: up to half of its memory (the container limit, where there is one).</summary>
    public static HnswBuildMemory ForLocalServer() => new(Math.Max(GiB, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2));

    /// <summary>Parses memory sizes: "4GB", "512MB", "2048kB" or plain bytes.</summary>
    public static HnswBuildMemory Parse(string text)
    {
        var trimmed = text.Trim();
        var digits = trimmed.TakeWhile(char.IsAsciiDigit).Count();
        var unit = trimmed[digits..].Trim().ToUpperInvariant();
        long multiplier = unit switch
        {
            "" or "B" => 1,
            "KB" or "K" => 1L << 10,
            "MB" or "M" => MiB,
            "GB" or "G" => GiB,
            "TB" or "T" => 1L << 40,
            _ => 0,
        };
        if (digits == 0 || multiplier == 0 || !long.TryParse(trimmed[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
            throw new FormatException($"'{text}' is not a memory size (examples: 512MB, 4GB)");
        if (amount > long.MaxValue / multiplier) throw new FormatException($"'{text}' is too large");
        return new HnswBuildMemory(Math.Max(Floor, amount * multiplier));
    }

    /// <summary>The graph's size for <paramref name="rows"/> embeddings, with a quarter spare for pgvector's own bookkeeping.</summary>
    public static long GraphBytes(long rows, int dim, EmbeddingPrecision precision)
    {
        var valueBytes = (dim * (precision == EmbeddingPrecision.Half ? 2L : 4L)) + 8;
        return rows * (valueBytes + OverheadPerRow) * 5 / 4;
    }

    /// <summary>The setting for a build of <paramref name="rows"/> rows, in kB (PostgreSQL's unit); null keeps the server's.</summary>
    public long? SettingKilobytes(long rows, int dim, EmbeddingPrecision precision, long serverBytes)
    {
        var wanted = Math.Clamp(GraphBytes(rows, dim, precision), Floor, Math.Max(Floor, Cap));
        return wanted <= serverBytes ? null : wanted / 1024;
    }
}
