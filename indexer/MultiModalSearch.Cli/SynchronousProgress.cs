namespace MultiModalSearch.Cli;

/// <summary>
/// Reports on the caller's thread under a lock. <see cref="Progress{T}"/> posts each report to the thread pool, so
/// without a synchronisation context the last report could land after the summary, and reports could overlap.
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly Lock gate = new();

    public void Report(T value)
    {
        lock (gate)
        {
            report(value);
        }
    }
}
