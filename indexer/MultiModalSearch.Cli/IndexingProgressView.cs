using MultiModalSearch.Core.Indexing;
using Spectre.Console;

namespace MultiModalSearch.Cli;

/// <summary>
/// Draws indexing progress on stderr (stdout stays clean for --json): a live bar with files/s and ETA on a terminal,
/// a plain line every ten seconds otherwise (logs, CI, nohup).
/// </summary>
internal sealed class IndexingProgressView
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(10);
    private readonly IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
    private DateTime lastPlain = DateTime.MinValue;
    private long lastPlainDone = -1;

    public bool Interactive => console.Profile.Capabilities.Interactive && !Console.IsErrorRedirected;

    public async Task<T> RunAsync<T>(Func<IProgress<IndexingProgress>, Task<T>> work)
    {
        if (!Interactive)
        {
            return await work(new SynchronousProgress<IndexingProgress>(ReportPlain));
        }

        return await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("crawling", maxValue: 1);
                var result = await work(new SynchronousProgress<IndexingProgress>(p => Update(task, p)));
                task.StopTask();
                return result;
            });
    }

    private void Update(ProgressTask task, IndexingProgress progress)
    {
        // The total is what the crawl queued so far; it only settles once the crawl is complete.
        task.MaxValue = Math.Max(1, progress.Queued);
        task.Value = progress.Done;
        task.Description = Markup.Escape(Describe(progress));
    }

    private void ReportPlain(IndexingProgress progress)
    {
        // Every ten seconds, and once more when a run of work completes (not again while nothing moves).
        var finished = progress.Done == progress.Queued && progress.Done != lastPlainDone;
        if (DateTime.UtcNow - lastPlain < PlainInterval && !finished)
        {
            return;
        }

        lastPlain = DateTime.UtcNow;
        lastPlainDone = progress.Done;
        Console.Error.WriteLine(Describe(progress));
    }

    private static string Describe(IndexingProgress p) =>
        $"{StageName(p.Stage)}: {p.Done}/{p.Queued} files ({p.Indexed} embedded, {p.Reused} reused, {p.Failed} failed), " +
        $"{p.FilesPerSecond:F1} files/s, crawled {p.Crawled}";

    private static string StageName(IndexingStage stage) => stage switch
    {
        IndexingStage.CrawlingAndIndexing => "crawling+indexing",
        IndexingStage.Indexing => "indexing",
        IndexingStage.BuildingSearchIndex => "building search index",
        _ => stage.ToString(),
    };
}
