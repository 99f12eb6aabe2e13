using System.Diagnostics;
using Npgsql;

namespace MultiModalSearch.Bench;

/// <summary>
/// Prints an HNSW build's progress from pg_stat_progress_create_index while it runs (pgvector reports its phase and
/// tuples loaded into the graph), with an ETA from the rate so far: a million-row build takes a long while and
/// should visibly be alive.
/// </summary>
internal sealed class HnswBuildMonitor(NpgsqlDataSource dataSource, TimeSpan interval, long rows) : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private Task? polling;

    public void Start() => polling = Task.Run(() => PollAsync(stop.Token));

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (polling is not null)
        {
            await polling.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        stop.Dispose();
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(interval, cancellationToken);
            await using var command = dataSource.CreateCommand(
                "SELECT phase, tuples_done, tuples_total FROM pg_stat_progress_create_index WHERE command LIKE 'CREATE INDEX%' LIMIT 1");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                // pgvector 0.8 counts tuples_done while loading the graph but leaves tuples_total at 0: we know the total.
                var total = reader.GetInt64(2) > 0 ? reader.GetInt64(2) : rows;
                Console.Error.WriteLine(Line(reader.GetString(0), reader.GetInt64(1), total, clock.Elapsed.TotalSeconds));
            }
        }
    }

    private static string Line(string phase, long done, long total, double seconds)
    {
        var eta = done > 0 && total > done ? $", about {(total - done) * seconds / done / 60:F1} min left in this phase" : "";
        return $"  hnsw build: {phase}, {done}/{total} tuples, {seconds / 60:F1} min{eta}";
    }
}
