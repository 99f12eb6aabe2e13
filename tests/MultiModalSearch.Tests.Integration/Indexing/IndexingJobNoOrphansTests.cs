using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Storage;

namespace MultiModalSearch.Tests.Indexing;

/// <summary>
/// Whatever happens to an archive (deletions with --prune, changed files, renames, duplicates), every embedding left
/// belongs to a live file: a search for k results gets k whenever k indexed contents exist, and status counts match.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class IndexingJobNoOrphansTests(PostgresFixture fixture) : IDisposable
{
    private readonly IndexingJobHarness harness = new();
    private readonly TemporaryDirectory archive = new();

    [Fact]
    public async Task SearchReturnsKWheneverKContentsAreIndexedAfterAnyMixOfPruneChangeAndRename()
    {
        await using var storage = await fixture.ClientForAsync(nameof(IndexingJobNoOrphansTests));
        var collection = IndexingJobHarness.UniqueCollection("orphans");
        var files = IndexingJobTestImages.WriteArchive(archive.Path, 16).ToList();
        await harness.RunAsync(storage, collection, [archive.Path]);
        var seed = 5000;

        for (var round = 0; round < 3; round++)
        {
            // Delete two, change two, rename two (one into a new folder), copy one: then a pruning run.
            File.Delete(files[0]);
            File.Delete(files[1]);
            files.RemoveRange(0, 2);
            File.WriteAllBytes(files[0], IndexingJobTestImages.Png(seed++));
            File.WriteAllBytes(files[1], IndexingJobTestImages.Png(seed++));
            File.SetLastWriteTimeUtc(files[0], DateTime.UtcNow.AddMinutes(round + 1));
            File.SetLastWriteTimeUtc(files[1], DateTime.UtcNow.AddMinutes(round + 1));
            files[2] = Move(files[2], Path.Combine(archive.Path, $"renamed-{round}.png"));
            files[3] = Move(files[3], Path.Combine(archive.Path, $"moved-{round}", "renamed.png"));
            var copy = Path.Combine(archive.Path, $"copy-{round}.png");
            File.Copy(files[4], copy);
            files.Add(copy);

            await harness.RunAsync(storage, collection, [archive.Path], prune: true);

            await IndexingJobHarness.AssertIndexedExactlyOnceAsync(storage, collection, files);
            var target = await IndexingJobHarness.CollectionAsync(storage, collection);
            var contents = files.Select(IndexingJobHarness.Sha256Hex).Distinct(StringComparer.Ordinal).Count();
            var query = harness.Session.EmbedImage(File.ReadAllBytes(files[0]), files[0]);
            Assert.Equal(contents, (await storage.Vectors.SearchAsync(target, query, k: contents)).Count);
            Assert.Equal(contents, (await storage.Vectors.SearchAsync(target, query, k: contents + 5)).Count);
            Assert.Equal(contents, (await storage.Collections.GetStatusAsync(target)).Embeddings);
        }
    }

    public void Dispose()
    {
        harness.Dispose();
        archive.Dispose();
    }

    private static string Move(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Move(from, to);
        return to;
    }
}
