using System.Runtime.InteropServices;
using MultiModalSearch.Models.Inference;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Inference;

/// <summary>The allocator tuning on this machine's glibc: what it decides, and that blocks below 32 MB stop being mmapped.</summary>
public sealed class MallocTuningTests
{
    [Fact]
    public void AnOptOutOrTheUsersOwnTunablesWin()
    {
        Assert.Equal("off: turned off by the host (MMS_MALLOC_TUNING=off)", MallocTuning.Apply(true, null));
        Assert.Equal("off: GLIBC_TUNABLES sets the allocator", MallocTuning.Apply(false, "glibc.malloc.arena_max=2"));
    }

    [Fact]
    public void BlocksBelowThirtyTwoMegabytesComeFromTheHeapAndLargerOnesAreStillMapped()
    {
        Assert.Equal("applied", MallocTuning.Apply(false, "glibc.pthread.rseq=1"));

        // glibc's default would mmap a fresh 8 MB block (threshold 128 KB, rising only after frees).
        Assert.False(IsMapped(8 << 20), "an 8 MB block should come from the heap");
        Assert.True(IsMapped(40 << 20), "blocks above the 32 MB threshold should still be mmapped");
    }

    /// <summary>
    /// Per block, so that other tests allocating at the same time cannot disturb it: glibc keeps a chunk's size in
    /// the word before the block, with bit 1 (IS_MMAPPED) set for blocks it mapped on their own.
    /// </summary>
    private static unsafe bool IsMapped(int size)
    {
        var block = NativeMemory.Alloc((nuint)size);
        try
        {
            var header = *((nuint*)block - 1);
            return (header & 2) != 0;
        }
        finally
        {
            NativeMemory.Free(block);
        }
    }
}
