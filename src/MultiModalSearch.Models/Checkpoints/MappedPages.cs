using MultiModalSearch.Models.Interop;

namespace MultiModalSearch.Models.Checkpoints;

/// <summary>
/// Drops pages of a read-only file mapping from the process's resident set once their bytes have been copied out.
/// They stay in the page cache, so a later read only faults them back in. Without this, loading a model keeps the
/// whole checkpoint resident in the process next to the weights made from it (a float32 ViT-B/32 file is 605 MB).
/// Linux only (madvise); elsewhere a no-op, which costs resident memory and nothing else.
/// </summary>
internal static unsafe class MappedPages
{
    private const int DontNeed = 4; // MADV_DONTNEED, from Linux's mman-common.h

    private static readonly nint Madvise = Libc.Export("madvise");

    /// <summary>Releases the whole pages inside [start, start + length); partial pages at either end stay.</summary>
    public static void Release(byte* start, long length)
    {
        if (Madvise == 0 || length <= 0)
        {
            return;
        }

        long page = Environment.SystemPageSize;
        long first = ((long)start + page - 1) / page * page;
        long end = ((long)start + length) / page * page;
        if (end > first)
        {
            // Advice only: a refusal leaves the pages resident, which is what happens without it.
            ((delegate* unmanaged<nint, nuint, int, int>)Madvise)((nint)first, (nuint)(end - first), DontNeed);
        }
    }
}
