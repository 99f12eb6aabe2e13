using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Storage;
using MultiModalSearch.Tests.Support;

namespace MultiModalSearch.Tests.Indexing;

/// <summary>Re-runs, duplicates, changes, renames and deletions: each run does only the work the archive's changes call for.</summary>
[Collection(PostgresCollection.Name)]
public sealed class IndexingJobIncrementalTests(PostgresFixture fixture) : IDisposable
{
    private readonly IndexingJobHarness harness = new();
    private readonly TemporaryDirectory archive = new();

    [Fact]
    public async Task IndexingTheSameArchiveAgainEmbedsNothingAndLeavesEveryCountAsItWas()
    {
        await using var storage = await fixture.ClientForAsync(nameof(IndexingJobIncrementalTests));
        var collection = IndexingJobHarness.UniqueCollection("rerun");
        var files = IndexingJobTestImages.WriteArchive(archive.Path, 24);

        var first = await harness.RunAsync(storage, collection, [archive.Path]);
        var afterFirst = await IndexingJobHarness.StatusAsync(storage, collection);
        var second = await harness.RunAsync(storage, collection, [archive.Path]);
        var afterSecond = await IndexingJobHarness.StatusAsync(storage, collection);

        Assert.Equal((24L, 24L, 24L, 0L, 0L), (first.Crawled, first.Added, first.Embedded, first.Reused, first.Failed));
        Assert.Equal((24L, 0L, 0L, 24L), (second.Crawled, second.Added, second.Changed, second.Unchanged));
        Assert.Equal((0L, 0L, 0L, 0L), (second.Embedded, second.Reused, second.Failed, second.Removed));
        Assert.False(second.Interrupted);
        Assert.Equal(afterFirst, afterSecond);
        await IndexingJobHarness.AssertIndexedExactlyOnceAsync(storage, collection, files);
    }

    [Fact]
    public async Task IdenticalFilesUnderSeveralNamesAreEmbeddedOnceAndSearchListsEveryPath()
    {
        await using var storage = await fixture.ClientForAsync(nameof(IndexingJobIncrementalTests));
        var collection = IndexingJobHarness.UniqueCollection("dedup");
        var files = new List<string>();
        var pathsByContent = new List<string[]>();
        for (var i = 0; i < 10; i++)
        {
            var bytes = IndexingJobTestImages.Png(500 + i);
            string[] copies = [Path.Combine(archive.Path, "a", $"photo-{i}.png"), Path.Combine(archive.Path, "b", $"copy of photo {i}.png"), Path.Combine(archive.Path, "b", "deep", $"again-{i}.png")];
            foreach (var copy in copies)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.WriteAllBytes(copy, bytes);
            }

            files.AddRange(copies);
            pathsByContent.Add(copies);
        }

        var summary = await harness.RunAsync(storage, collection, [archive.Path]);

        Assert.Equal((10L, 20L, 0L), (summary.Embedded, summary.Reused, summary.Failed));
        await IndexingJobHarness.AssertIndexedExactlyOnceAsync(storage, collection, files);
        var target = await IndexingJobHarness.CollectionAsync(storage, collection);
        var query = harness.Session.EmbedImage(File.ReadAllBytes(pathsByContent[3][0]), pathsByContent[3][0]);
        var top = (await storage.Vectors.SearchAsync(target, query, k: 3))[0];
        Assert.Equal(IndexingJobHarness.Sha256Hex(pathsByContent[3][0]), Convert.ToHexString(top.ContentHash));
        Assert.Equal(pathsByContent[3].Order(StringComparer.Ordinal), top.Paths);
    }

    [Fact]
    public async Task AChangedFileIsEmbeddedAgainAndItsOldContentLeavesSearch()
    {
        await using var storage = await fixture.ClientForAsync(nameof(IndexingJobIncrementalTests));
        var collection = IndexingJobHarness.UniqueCollection("change");
        var files = IndexingJobTestImages.WriteArchive(archive.Path, 12);
        await harness.RunAsync(storage, collection, [archive.Path]);
        var changed = files[0];
        var oldBytes = File.ReadAllBytes(changed);
        var oldHash = IndexingJobHarness.Sha256Hex(changed);

        File.WriteAllBytes(changed, IndexingJobTestImages.Png(9000));
        File.SetLastWriteTimeUtc(changed, DateTime.UtcNow.AddMinutes(1));
        var summary = await harness.RunAsync(storage, collection, [archive.Path]);

        Assert.Equal((0L, 1L, 11L), (summary.Added, summary.Changed, summary.Unchanged));
        Assert.Equal((1L, 0L, 0L), (summary.Embedded, summary.Reused, summary.Failed));
        var target = await IndexingJobHarness.CollectionAsync(storage, collection);
        var hits = await storage.Vectors.SearchAsync(target, harness.Session.EmbedImage(oldBytes, changed), k: 20);
        Assert.DoesNotContain(hits, h => Convert.ToHexString(h.ContentHash) == oldHash);
        Assert.Equal(12, hits.Count);
        Assert.Contains(hits, h => h.Paths.Contains(changed) && Convert.ToHexString(h.ContentHash) == IndexingJobHarness.Sha256Hex(changed));

        // The old content's embedding went when the change was crawled: no path refers to it any more.
        Assert.Equal(12, (await storage.Collections.GetStatusAsync(target)).Embeddings);
        await IndexingJobHarness.AssertIndexedExactlyOnceAsync(storage, collection, files);
    }

    [Fact]
    public async Task ARenamedFileIsIndexedWithoutModelWorkAndPruneMarksItsOldPathRemoved()
    {
        await using var storage = await fixture.ClientForAsync(nameof(IndexingJobIncrementalTests));
        var collection = IndexingJobHarness.UniqueCollection("rename");
        var files = IndexingJobTestImages.WriteArchive(archive.Path, 12).ToList();
        await harness.RunAsync(storage, collection, [archive.Path]);
        var oldPath = files[5];
        var newPath = Path.Combine(archive.Path, "moved", "renamed.jpg");
        Directory.CreateDirectory(Path.GetDirectoryName(newPath)!);
        File.Move(oldPath, newPath);

        var withoutPrune = await harness.RunAsync(storage, collection, [archive.Path]);
        var statusWithoutPrune = await IndexingJobHarness.StatusAsync(storage, collection);
        var withPrune = await harness.RunAsync(storage, collection, [archive.Path], prune: true);

        Assert.Equal((1L, 0L, 1L, 0L), (withoutPrune.Added, withoutPrune.Embedded, withoutPrune.Reused, withoutPrune.Removed));
        Assert.Equal((13L, 0L), (statusWithoutPrune.Indexed, statusWithoutPrune.Removed));
        Assert.Equal((0L, 0L, 0L, 1L), (withPrune.Added, withPrune.Embedded, withPrune.Reused, withPrune.Removed));
        var old = Assert.Single(await IndexingJobHarness.AssetsAsync(storage, collection), a => a.Path == oldPath);
        Assert.Equal("removed", old.Status);
        files[5] = newPath;
        await IndexingJobHarness.AssertIndexedExactlyOnceAsync(storage, collection, files);
        Assert.Equal(1, (await IndexingJobHarness.StatusAsync(storage, collection)).Removed);
    }

    [Fact]
    public async Task ADeletedFileIsMarkedRemovedOnlyWithPruneAndThenLeavesSearch()
    {
        await using var storage = await fixture.ClientForAsync(nameof(IndexingJobIncrementalTests));
        var collection = IndexingJobHarness.UniqueCollection("delete");
        var files = IndexingJobTestImages.WriteArchive(archive.Path, 12).ToList();
        await harness.RunAsync(storage, collection, [archive.Path]);
        var deleted = files[3];
        var deletedBytes = File.ReadAllBytes(deleted);
        File.Delete(deleted);
        files.RemoveAt(3);

        var withoutPrune = await harness.RunAsync(storage, collection, [archive.Path]);
        var statusWithoutPrune = await IndexingJobHarness.StatusAsync(storage, collection);
        var withPrune = await harness.RunAsync(storage, collection, [archive.Path], prune: true);

        Assert.Equal((11L, 0L, 0L), (withoutPrune.Crawled, withoutPrune.Embedded, withoutPrune.Removed));
        Assert.Equal((12L, 0L), (statusWithoutPrune.Indexed, statusWithoutPrune.Removed));
        Assert.Equal((0L, 1L), (withPrune.Embedded, withPrune.Removed));
        var target = await IndexingJobHarness.CollectionAsync(storage, collection);
        var hits = await storage.Vectors.SearchAsync(target, harness.Session.EmbedImage(deletedBytes, deleted), k: 20);
        Assert.DoesNotContain(hits, h => h.Paths.Contains(deleted));
        Assert.Equal(11, (await storage.Collections.GetStatusAsync(target)).Embeddings);
        await IndexingJobHarness.AssertIndexedExactlyOnceAsync(storage, collection, files);
        Assert.Equal(1, (await storage.Collections.GetStatusAsync(target)).Removed);
    }

    public void Dispose()
    {
        harness.Dispose();
        archive.Dispose();
    }
}
