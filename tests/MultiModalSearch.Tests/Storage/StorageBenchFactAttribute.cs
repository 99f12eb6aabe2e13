namespace MultiModalSearch.Tests.Storage;

/// <summary>A fact that runs only with MMS_STORAGE_BENCH=1: measurements take minutes and belong in docs, not in every test run.</summary>
public sealed class StorageBenchFactAttribute : FactAttribute
{
    public StorageBenchFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("MMS_STORAGE_BENCH") != "1") Skip = "set MMS_STORAGE_BENCH=1 to measure";
        Timeout = 0;
    }
}
