using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Core.Indexing;
using Spectre.Console;

namespace MultiModalSearch.Cli;

/// <summary>An indexing run's summary as a table on stderr (stdout stays clean for --json).</summary>
internal static class IndexingSummaryView
{
    public static void Write(IndexingSummary summary, CollectionStatus status)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var table = new Table().AddColumns("", "files").HideHeaders();
        table.AddRow("crawled", $"{summary.Crawled} ({summary.Added} new, {summary.Changed} changed, {summary.Unchanged} unchanged)");
        table.AddRow("embedded (model work)", summary.Embedded.ToString());
        table.AddRow("reused (same content already embedded)", summary.Reused.ToString());
        table.AddRow("failed", summary.Failed.ToString());
        table.AddRow("removed (--prune)", summary.Removed.ToString());
        table.AddRow("time", $"{summary.Seconds:F1} s, {summary.FilesPerSecond:F1} files/s");
        table.AddRow("search index", Markup.Escape(Describe(summary.SearchIndex)));
        table.AddRow("collection now", $"{status.Indexed} indexed, {status.Embeddings} distinct contents, {status.Failed} failed, {status.Pending} pending");
        console.Write(table);
        foreach (var problem in summary.CrawlProblems.Take(10))
        {
            console.MarkupLine($"[yellow]crawl:[/] {Markup.Escape(TextOutput.Path(problem.Path))}: {Markup.Escape(problem.Message)}");
        }

        if (summary.Interrupted)
        {
            console.MarkupLine("[yellow]interrupted:[/] the work in flight was recorded; run the same command again to continue");
        }
    }

    public static string Describe(SearchIndexOutcome outcome) => outcome.State switch
    {
        SearchIndexState.Ready => "ready",
        SearchIndexState.Built => $"built in {outcome.BuildSeconds:F1} s",
        SearchIndexState.AbsentInterrupted => "absent: run interrupted; the next complete run builds it",
        SearchIndexState.AbsentOtherWorkersRunning => "absent: other workers are still indexing; the last one builds it",
        _ => outcome.State.ToString(),
    };
}
