using Spectre.Console;

namespace MultiModalSearch.Bench;

/// <summary>Prints measurements as a table with each row's ratio to its baseline row.</summary>
internal static class BenchReport
{
    public static void Print(string title, IReadOnlyList<(Measurement Row, Measurement? Baseline)> rows, IEnumerable<string>? notes = null)
    {
        var table = new Table().Title(title).AddColumns("configuration", "median", "unit", "runs (min - max)", "ratio to baseline");
        foreach (var (row, baseline) in rows)
        {
            var ratio = baseline is null ? "" : $"{row.Median / baseline.Median:F2}x";
            table.AddRow(Markup.Escape(row.Name), $"{row.Median:F1}", row.Unit, $"{row.Values.Count}: {row.Range}", ratio);
        }

        AnsiConsole.Write(table);
        foreach (var note in notes ?? [])
        {
            AnsiConsole.MarkupLine(Markup.Escape(note));
        }

        // Plain lines as well, for docs/benchmarks.md and for logs without a terminal.
        foreach (var (row, baseline) in rows)
        {
            var ratio = baseline is null ? "" : $" | {row.Median / baseline.Median:F2}x {baseline.Name}";
            Console.WriteLine($"| {row.Name} | {row.Median:F1} {row.Unit} | {string.Join(", ", row.Values.Select(v => v.ToString("F1")))}{ratio} |");
        }
    }
}
