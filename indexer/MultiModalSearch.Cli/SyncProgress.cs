namespace MultiModalSearch.Cli;

/// <summary>An IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool and may lag or reorder).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
