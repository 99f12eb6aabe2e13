using MultiModalSearch.Models.Interop;

namespace MultiModalSearch.Models.Inference;

/// <summary>
/// Keeps glibc's allocator from handing memory back to the kernel between batches. By default glibc serves blocks
/// above a sliding threshold with fresh mmaps and trims the heap top as soon as a few MB are free, so every forward
/// pass re-faults its activations (libtorch) and every decode its pixel buffers (libvips) page by page: on a 2-core
/// CPU that cost the indexer two million page faults per 500 photos and half its throughput (docs/benchmarks.md).
/// Fixing the thresholds keeps the steady-state working set mapped; peak memory is unchanged.
/// Applied once per process by the image pipeline. Skipped off glibc, when the user set <c>glibc.malloc.*</c> in
/// glibc's own <c>GLIBC_TUNABLES</c> (their choice wins), and when the host turned it off (<see cref="TurnOff"/>).
/// </summary>
public static class MallocTuning
{
    // mallopt parameters, from glibc's malloc.h.
    private const int TrimThresholdParameter = -1;
    private const int MmapThresholdParameter = -3;

    /// <summary>glibc's ceiling for the mmap threshold on 64-bit: blocks this large or larger are still mmapped.</summary>
    private const int MmapThreshold = 32 * 1024 * 1024;

    private static readonly Lazy<string> Outcome = new(
        () => Apply(turnedOff, Environment.GetEnvironmentVariable("GLIBC_TUNABLES")),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private static bool turnedOff;

    /// <summary>The host's switch (the CLI's <c>MMS_MALLOC_TUNING=off</c>); it must come before the first pipeline runs.</summary>
    public static void TurnOff() => turnedOff = true;

    /// <summary>What happened: "applied", or why not. Idempotent and thread-safe.</summary>
    public static string EnsureApplied() => Outcome.Value;

    /// <summary>The decision, from the host's switch and glibc's own tunables; setting the thresholds again is harmless.</summary>
    internal static string Apply(bool off, string? glibcTunables)
    {
        if (off)
        {
            return "off: turned off by the host (MMS_MALLOC_TUNING=off)";
        }

        if ((glibcTunables ?? "").Contains("glibc.malloc.", StringComparison.Ordinal))
        {
            return "off: GLIBC_TUNABLES sets the allocator";
        }

        var mallopt = FindGlibcMallopt();
        if (mallopt == 0)
        {
            return "off: not glibc";
        }

        return SetThresholds(mallopt) ? "applied" : "off: mallopt refused";
    }

    /// <summary>musl and others export a mallopt that ignores its arguments; only glibc's is worth calling.</summary>
    private static nint FindGlibcMallopt() => Libc.Export("gnu_get_libc_version") != 0 ? Libc.Export("mallopt") : 0;

    private static unsafe bool SetThresholds(nint mallopt)
    {
        var call = (delegate* unmanaged<int, int, int>)mallopt;
        // mallopt returns 1 on success. A fixed mmap threshold also stops glibc's own sliding adjustment.
        return call(MmapThresholdParameter, MmapThreshold) == 1 & call(TrimThresholdParameter, int.MaxValue) == 1;
    }
}
