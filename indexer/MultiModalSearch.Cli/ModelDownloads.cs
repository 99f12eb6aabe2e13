using MultiModalSearch.Models.Hub;
using MultiModalSearch.Models.Resolution;

namespace MultiModalSearch.Cli;

/// <summary>Locates <c>--model</c> through the host's <see cref="ModelLocator"/>, reporting downloads and the offline fallback on stderr.</summary>
internal static class ModelDownloads
{
    public static Task<ResolvedModel> LocateAsync(CliHost host, string? model, CancellationToken cancellationToken)
    {
        var locator = host.Get<ModelLocator>();
        locator.OnFallback = message => Console.Error.WriteLine($"note: {message} (pass --model for another)");
        return locator.LocateAsync(model, new DownloadReporter(), cancellationToken);
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
