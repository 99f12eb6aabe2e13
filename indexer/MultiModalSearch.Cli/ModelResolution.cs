using MultiModalSearch.Models.Hub;
using MultiModalSearch.Models.Resolution;

namespace MultiModalSearch.Cli;

/// <summary>Resolves <c>--model</c> for a command, reporting downloads and the offline fallback on stderr.</summary>
internal static class ModelResolution
{
    public static Task<ResolvedModel> ResolveAsync(string? model, CancellationToken cancellationToken)
    {
        var locator = new ModelLocator { OnFallback = message => Console.Error.WriteLine($"note: {message}") };
        return locator.LocateAsync(model, new DownloadReporter(), cancellationToken);
    }

    /// <summary>The model a collection was indexed with: queries must be embedded by exactly that model.</summary>
    public static Task<ResolvedModel> ResolveCollectionModelAsync(string modelId, CancellationToken cancellationToken)
    {
        if (modelId == ModelLocator.BundledModelName)
        {
            var bundled = ModelLocator.FindBundledModel()
                ?? throw new ArgumentException($"the collection was indexed with the bundled model '{modelId}', which this installation lacks (models/{modelId})");
            return Task.FromResult(new ResolvedModel(modelId, bundled));
        }

        return ResolveAsync(modelId, cancellationToken);
    }

    /// <summary>One line per file when it starts and ends, plus a percentage at most every two seconds for big files.</summary>
    private sealed class DownloadReporter : IProgress<DownloadProgress>
    {
        private readonly Lock gate = new();
        private string? current;
        private DateTime lastReport;

        public void Report(DownloadProgress value)
        {
            lock (gate)
            {
                var now = DateTime.UtcNow;
                var done = value.TotalBytes is { } total && value.BytesDone >= total;
                if (value.FileName != current || done || now - lastReport > TimeSpan.FromSeconds(2))
                {
                    var size = value.TotalBytes is { } t ? $"{value.BytesDone / 1e6:F1}/{t / 1e6:F1} MB" : $"{value.BytesDone / 1e6:F1} MB";
                    Console.Error.WriteLine($"downloading {value.FileName}: {size}{(done ? " done" : "")}");
                    current = value.FileName;
                    lastReport = now;
                }
            }
        }
    }
}
