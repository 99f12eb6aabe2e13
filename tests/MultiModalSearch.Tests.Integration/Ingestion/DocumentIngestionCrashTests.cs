using Dapper;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Storage.Postgres;
using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Indexing;
using MultiModalSearch.Tests.Storage;
using Xunit.Abstractions;

namespace MultiModalSearch.Tests.Ingestion;

/// <summary>
/// The real <c>mms ingest</c> killed at random moments (SIGKILL: no cleanup at all). The next run finishes with every
/// document ingested exactly once: one document row per distinct content, each with all its passages, none doubled.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DocumentIngestionCrashTests(PostgresFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly TemporaryDirectory archive = new();

    [Fact]
    public async Task KilledIngestRunsLoseNothingAndTheNextRunFinishesWithEachDocumentOnce()
    {
        var connectionString = await fixture.CreateDatabaseAsync();
        await using var storage = await PostgresDatabase.ConnectAsync(connectionString);
        const string collection = "ingest-crash";
        var files = WriteDocuments(archive.Path);
        var distinct = files.Select(IndexingJobHarness.Sha256Hex).Distinct(StringComparer.Ordinal).Count();
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"random seed {seed}");
        string[] arguments =
        [
            "ingest", archive.Path, "--collection", collection, "--model", ClipTinyFixture.Directory, "--db", connectionString, "--json",
        ];

        foreach (var afterProgress in new[] { false, true, true })
        {
            var before = await IndexedAsync(storage, collection);
            await using var child = IndexingJobChild.Start(arguments);
            if (afterProgress)
            {
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
                while (await IndexedAsync(storage, collection) <= before)
                {
                    Assert.False(child.HasExited, $"mms ingest ended before recording anything\nstderr:\n{child.Stderr}");
                    Assert.True(DateTime.UtcNow < deadline, $"no progress within 90 s\nstderr:\n{child.Stderr}");
                    await Task.Delay(50);
                }

                await Task.Delay(random.Next(0, 300));
            }
            else
            {
                await Task.Delay(random.Next(500, 2500));
            }

            await child.KillAsync();
            output.WriteLine($"killed (after progress: {afterProgress}): {await IndexedAsync(storage, collection)} indexed");
        }

        var beforeFinal = await IndexedAsync(storage, collection);
        await using var final = await IndexingJobChild.RunAsync(arguments, TimeSpan.FromMinutes(4));
        var summary = final.SucceededSummary();
        output.WriteLine($"final run: {summary}");

        Assert.True(beforeFinal > 0, "the killed runs recorded nothing, so the test proved nothing");
        Assert.True(summary.GetProperty("embedded").GetInt64() < distinct, "the final run redid recorded work");
        await IndexingJobHarness.AssertIndexedExactlyOnceAsync(storage, collection, files);
        var documents = await DocumentIngestionHarness.DocumentsAsync(storage, collection);
        Assert.Equal(distinct, documents.Count);
        Assert.Equal(documents.Count, documents.Select(d => Convert.ToHexString(d.ContentHash)).Distinct().Count());
        Assert.Equal(distinct, summary.GetProperty("documents").GetProperty("documents").GetInt64());
        // Each document keeps exactly its own passages: a redone flush replaced, never doubled, them.
        await using var connection = await storage.DataSource.OpenConnectionAsync();
        var doubled = await connection.ExecuteScalarAsync<long>("""
            SELECT count(*) FROM (SELECT document_id, ordinal FROM document_passages GROUP BY document_id, ordinal HAVING count(*) > 1) AS d
            """);
        Assert.Equal(0L, doubled);
        Assert.All(documents, d => Assert.True(d.Passages > 0, $"document {d.Id} has no passages"));
    }

    /// <summary>Small PDFs and Markdown files, all distinct, plus copies of a few.</summary>
    private static List<string> WriteDocuments(string folder)
    {
        var files = new List<string>();
        for (var i = 0; i < 24; i++)
        {
            var path = Path.Combine(folder, "pdf", $"doc-{i:D3}.pdf");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, TestPdfs.TwoColumns(4 + i));
            files.Add(path);
        }

        for (var i = 0; i < 120; i++)
        {
            var path = Path.Combine(folder, "md", $"note-{i:D3}.md");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, $"# Note {i}\n\nParagraph {i} says something about graph layout number {i * 7}.\n\n## Details\n\nMore text for note {i}.\n");
            files.Add(path);
        }

        foreach (var source in files.Take(6).ToList())
        {
            var copy = Path.Combine(folder, "copies", "copy-" + Path.GetFileName(source));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(source, copy);
            files.Add(copy);
        }

        return files;
    }

    private static async Task<long> IndexedAsync(PostgresDatabase storage, string collection) =>
        await storage.Collections.FindAsync(collection) is { } found ? (await storage.Collections.GetStatusAsync(found)).Indexed : 0;

    public void Dispose() => archive.Dispose();
}
