using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Storage.Postgres;
using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Storage;
using MultiModalSearch.Tests.Support;
using Xunit.Abstractions;

namespace MultiModalSearch.Tests.Indexing;

/// <summary>
/// The real tool killed at random moments (SIGKILL: no cleanup at all) and stopped politely (SIGTERM). Whatever happens,
/// the next run finishes the archive with every file indexed exactly once and without redoing recorded work.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class IndexingJobCrashTests(PostgresFixture fixture, ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan FullRunTimeout = TimeSpan.FromMinutes(2);
    private readonly TemporaryDirectory archive = new();

    [Fact]
    public async Task KilledRunsLoseNothingAndTheNextRunFinishesWithoutRedoingRecordedWork()
    {
        var connectionString = await fixture.CreateDatabaseAsync();
        await using var storage = await PostgresDatabase.ConnectAsync(connectionString);
        const string collection = "crash";
        // Enough files that no run finishes before its kill: the tiny model indexes a few hundred files a second.
        var files = IndexingJobTestImages.WriteArchive(archive.Path, 400).ToList();
        files.AddRange(CopyFiles(files.Take(12), Path.Combine(archive.Path, "copies")));
        var distinct = files.Select(IndexingJobHarness.Sha256Hex).Distinct(StringComparer.Ordinal).Count();
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"random seed {seed}");
        var arguments = IndexingJobChild.IndexArguments(connectionString, collection, [archive.Path]);

        // Early kills (while loading the model or crawling) and kills in the middle of recording, in that order.
        bool[] killAfterProgress = [false, true, false, true];
        var deadClaims = 0L;
        foreach (var afterProgress in killAfterProgress)
        {
            var before = await IndexedAsync(storage, collection);
            await using var child = IndexingJobChild.Start(arguments);
            if (afterProgress)
            {
                await WaitForProgressAsync(storage, collection, before, child);
                await Task.Delay(random.Next(0, 150));
            }
            else
            {
                await Task.Delay(random.Next(300, 2000));
            }

            await child.KillAsync();
            var status = await StatusOrNullAsync(storage, collection);
            deadClaims = Math.Max(deadClaims, status?.InProgress ?? 0);
            output.WriteLine($"killed (after progress: {afterProgress}): {status}");
        }

        var beforeFinal = (await StatusOrNullAsync(storage, collection))!;
        await using var final = await IndexingJobChild.RunAsync(arguments, FullRunTimeout);
        var summary = final.SucceededSummary();
        output.WriteLine($"dead claims seen {deadClaims}; final run: {summary}");

        Assert.False(summary.GetProperty("interrupted").GetBoolean());
        await IndexingJobHarness.AssertIndexedExactlyOnceAsync(storage, collection, files);
        var embedded = summary.GetProperty("embedded").GetInt64();
        var missing = distinct - beforeFinal.Embeddings;
        Assert.True(beforeFinal.Embeddings > 0, "the killed runs recorded nothing, so the test proved nothing");
        // Every content the killed runs had recorded is reused, not embedded again (a copy racing its original's flush may cost one more).
        Assert.InRange(embedded, missing, missing + 12);
        Assert.True(embedded < distinct, $"the final run embedded {embedded} of {distinct} contents: it redid recorded work");
        Assert.Equal(files.Count - beforeFinal.Indexed, embedded + summary.GetProperty("reused").GetInt64());
    }

    [Fact]
    public async Task SigtermStopsCleanlyReportsInterruptedAndLeavesNothingClaimed()
    {
        var connectionString = await fixture.CreateDatabaseAsync();
        await using var storage = await PostgresDatabase.ConnectAsync(connectionString);
        const string collection = "sigterm";
        var files = IndexingJobTestImages.WriteArchive(archive.Path, 240);
        // Big batches: what is in flight when the signal comes (two claimed batches plus the pipeline's) takes seconds to finish.
        var arguments = IndexingJobChild.IndexArguments(connectionString, collection, [archive.Path], batchSize: 48);

        await using (var child = IndexingJobChild.Start(arguments))
        {
            await WaitForProgressAsync(storage, collection, 0, child);
            await child.TerminateAsync();
            var code = await child.WaitForExitAsync(TimeSpan.FromSeconds(60));
            output.WriteLine($"exit {code}\nstdout:\n{child.Stdout}\nstderr:\n{child.Stderr}");

            Assert.True(code is 0 or 130, $"exit code {code} after SIGTERM\nstderr:\n{child.Stderr}");
            Assert.DoesNotContain("Unhandled exception", child.Stderr, StringComparison.Ordinal);
            if (code == 130)
            {
                Assert.True(child.Summary().GetProperty("interrupted").GetBoolean());
            }
        }

        var status = (await StatusOrNullAsync(storage, collection))!;
        Assert.Equal(0, status.InProgress);
        Assert.All(await IndexingJobHarness.AssetsAsync(storage, collection), a => Assert.Null(a.ClaimedBy));
        Assert.Equal((files.Count, 0L), (status.Pending + status.Indexed, status.Failed));
        Assert.Equal(status.Indexed, status.Embeddings);

        await using var rest = await IndexingJobChild.RunAsync(arguments, FullRunTimeout);
        var summary = rest.SucceededSummary();
        Assert.Equal(status.Pending, summary.GetProperty("embedded").GetInt64());
        await IndexingJobHarness.AssertIndexedExactlyOnceAsync(storage, collection, files);
    }

    private static IEnumerable<string> CopyFiles(IEnumerable<string> sources, string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var source in sources)
        {
            var copy = Path.Combine(folder, "copy-" + Path.GetFileName(source));
            File.Copy(source, copy);
            yield return copy;
        }
    }

    private static async Task<CollectionStatus?> StatusOrNullAsync(PostgresDatabase storage, string collection) =>
        await storage.Collections.FindAsync(collection) is { } found ? await storage.Collections.GetStatusAsync(found) : null;

    private static async Task<long> IndexedAsync(PostgresDatabase storage, string collection) =>
        (await StatusOrNullAsync(storage, collection))?.Indexed ?? 0;

    /// <summary>Waits until the child has recorded more than <paramref name="before"/> indexed files (so it is mid-run).</summary>
    private static async Task WaitForProgressAsync(PostgresDatabase storage, string collection, long before, IndexingJobChild child)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (await IndexedAsync(storage, collection) <= before)
        {
            Assert.False(child.HasExited, $"mms index ended (exit {(child.HasExited ? child.ExitCode : 0)}) before recording anything\nstderr:\n{child.Stderr}");
            Assert.True(DateTime.UtcNow < deadline, $"no progress within 90 s\nstderr:\n{child.Stderr}");
            await Task.Delay(50);
        }
    }

    public void Dispose() => archive.Dispose();
}
