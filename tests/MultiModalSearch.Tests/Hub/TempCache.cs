namespace MultiModalSearch.Tests.Hub;

/// <summary>A throwaway HF cache folder per test, so parallel tests never share state.</summary>
internal sealed class TempCache : IDisposable
{
    public TempCache() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "mms-hub-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder does not fail a test.
        }
    }
}
