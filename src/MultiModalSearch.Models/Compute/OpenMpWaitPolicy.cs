using System.Runtime.InteropServices;

namespace MultiModalSearch.Models.Compute;

/// <summary>
/// Asks OpenMP's threads to sleep, not spin, between operations. libtorch's OpenMP threads keep spinning for a while
/// after each operation, and a bf16 decoding step runs our row kernel (<see cref="BFloat16RowKernel"/>) on .NET threads
/// between libtorch operations, so on a small machine the spinning threads starve it: on 2 cores, TinyLlama-shaped
/// bf16 decoding went from 9.0 to 11.9 tokens/s with PASSIVE, fp32 unchanged (docs/benchmarks.md). libgomp reads the
/// variable once, when libtorch loads, so a host calls this before its first tensor; a value already set wins.
/// </summary>
public static partial class OpenMpWaitPolicy
{
    private const string Variable = "OMP_WAIT_POLICY";

    public static void PreferPassive()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not null)
        {
            return;
        }

        // On Unix, Environment.SetEnvironmentVariable changes only .NET's own copy; native libraries read libc's.
        if (OperatingSystem.IsWindows())
        {
            Environment.SetEnvironmentVariable(Variable, "PASSIVE");
        }
        else
        {
            _ = SetEnvironment(Variable, "PASSIVE", 0);
            Environment.SetEnvironmentVariable(Variable, "PASSIVE");
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironment(string name, string value, int overwrite);
}
