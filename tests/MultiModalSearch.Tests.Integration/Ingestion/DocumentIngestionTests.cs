using Dapper;
using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Indexing;
using MultiModalSearch.Tests.Storage;

namespace MultiModalSearch.Tests.Ingestion;

/// <summary>
/// <c>mms ingest</c>'s run over the four Debian manuals and a set of hostile documents: every manual becomes passages and
/// figure crops with CLIP embeddings, every hostile document is recorded with its reason, and incremental runs, copies
/// and prune behave as in the photo indexer (the same machinery).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DocumentIngestionTests(PostgresFixture fixture) : IDisposable
{
    private readonly DocumentIngestionHarness harness = new();
    private readonly TemporaryDirectory archive = new();

    [Fact]
    public async Task ManualsBecomePassagesAndFigureCropsHostileDocumentsAreRecordedAndReruns_Copies_AndPruneBehaveAsForPhotos()
    {
        await using var storage = await fixture.ClientForAsync(nameof(DocumentIngestionTests));
        var collection = IndexingJobHarness.UniqueCollection("docs");
        var manuals = Path.Combine(archive.Path, "manuals");
        Directory.CreateDirectory(manuals);
        foreach (var name in DebianDocs.Names)
        {
            File.Copy(DebianDocs.PathOf(name), Path.Combine(manuals, name));
        }

        File.WriteAllText(Path.Combine(manuals, "notes.md"), "# Layout notes\n\nThe dot layout ranks nodes top to bottom.\n\n## Edges\n\nSplines route the edges around nodes.\n");
        File.WriteAllText(Path.Combine(manuals, "photo.jpg"), "not a document: the ingest crawl leaves it out");
        var hostile = WriteHostileDocuments(Path.Combine(archive.Path, "hostile"));
        var dust = Path.Combine(archive.Path, "dust.pdf");
        File.WriteAllBytes(dust, TestPdfs.ManyTinyPaths(100_000));

        var first = await harness.RunAsync(storage, collection, [archive.Path]);

        var good = DebianDocs.Names.Length + 2; // the manuals, the notes and the page of dust (bounded, not refused)
        Assert.Equal((good + hostile.Count, (long)good, (long)hostile.Count), (first.Crawled, first.Embedded, first.Failed));
        var assets = await IndexingJobHarness.AssetsAsync(storage, collection);
        foreach (var (file, reason) in hostile)
        {
            var asset = Assert.Single(assets, a => a.Path == file);
            Assert.Equal("failed", asset.Status);
            Assert.Contains(reason, asset.Error, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', asset.Error!);
        }

        var documents = await DocumentIngestionHarness.DocumentsAsync(storage, collection);
        Assert.Equal(good, documents.Count);
        var dot = Assert.Single(documents, d => d.Title == "Drawing graphs with dot");
        Assert.True(dot.Passages >= 60, $"dotguide has {dot.Passages} passages");
        var dotFigures = await DocumentIngestionHarness.FiguresAsync(storage, dot.Id);
        // Every numbered figure of the guide (22, as DebianDocsFigureTests reads them off the pages) is stored with its crop.
        var numbered = dotFigures.Where(f => f.Reference is not null && f.Reference.StartsWith("Figure ", StringComparison.Ordinal)).Select(f => f.Reference).Distinct().Count();
        Assert.Equal(22, numbered);
        Assert.All(dotFigures, f =>
        {
            Assert.NotNull(f.CropWebp);
            Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(f.CropWebp!, 0, 4));
            Assert.Equal("WEBP", System.Text.Encoding.ASCII.GetString(f.CropWebp!, 8, 4));
            Assert.True(f.HasImageEmbedding, $"figure {f.Ordinal} has no CLIP embedding");
            // The crop covers the figure's box (plus the margin) at about 150 dpi: its size follows from the box.
            var expectedWidth = (f.BoxRight!.Value - f.BoxLeft!.Value + 8) * 150 / 72;
            Assert.InRange(f.CropWidth!.Value, expectedWidth * 0.6, expectedWidth * 1.1);
        });
        var gs = Of(documents, Path.Combine(manuals, "GS9_Color_Management.pdf"));
        Assert.Contains(await DocumentIngestionHarness.FiguresAsync(storage, gs.Id), f => f.Reference == "Figure 1" && f.CropWebp is not null);
        Assert.Equal(documents.Count, (await storage.Documents.CountAsync(await IndexingJobHarness.CollectionAsync(storage, collection))).Documents);

        // Full text over passages finds the guide that explains ranks.
        await using (var connection = await storage.DataSource.OpenConnectionAsync())
        {
            var hits = await connection.QueryAsync<long>(
                "SELECT p.document_id FROM document_passages p WHERE p.tsv @@ plainto_tsquery('english', 'rank assignment') GROUP BY p.document_id");
            Assert.Contains(dot.Id, hits);
        }

        // An unchanged rerun does nothing; failed documents are not retried until they change.
        var again = await harness.RunAsync(storage, collection, [archive.Path]);
        Assert.Equal((0L, 0L, 0L, first.Crawled), (again.Embedded, again.Failed, again.Added, again.Unchanged));
        Assert.Equal(documents.Select(d => d.Id), (await DocumentIngestionHarness.DocumentsAsync(storage, collection)).Select(d => d.Id));

        // A copy under another name is the same content: reused, no second document row.
        var copy = Path.Combine(manuals, "copy-of-neatoguide.pdf");
        File.Copy(Path.Combine(manuals, "neatoguide.pdf"), copy);
        var withCopy = await harness.RunAsync(storage, collection, [archive.Path]);
        Assert.Equal((1L, 0L, 1L), (withCopy.Added, withCopy.Embedded, withCopy.Reused));
        Assert.Equal(good, (await DocumentIngestionHarness.DocumentsAsync(storage, collection)).Count);

        // Prune: the content goes only when its last path goes, and its passages and figures go with it.
        var smyrna = Of(documents, Path.Combine(manuals, "smyrna.pdf"));
        File.Delete(Path.Combine(manuals, "smyrna.pdf"));
        File.Delete(Path.Combine(manuals, "neatoguide.pdf"));
        var pruned = await harness.RunAsync(storage, collection, [archive.Path], prune: true);
        Assert.Equal((2L, 0L), (pruned.Removed, pruned.Embedded));
        var left = await DocumentIngestionHarness.DocumentsAsync(storage, collection);
        Assert.Equal(good - 1, left.Count);
        Assert.DoesNotContain(left, d => d.Id == smyrna.Id);
        await using (var connection = await storage.DataSource.OpenConnectionAsync())
        {
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM document_figures WHERE document_id = @id", new { id = smyrna.Id }));
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM document_passages WHERE document_id = @id", new { id = smyrna.Id }));
        }

        // A changed file is ingested again, and its old content goes.
        File.WriteAllText(Path.Combine(manuals, "notes.md"), "# Layout notes\n\nRewritten: clusters are drawn as boxes.\n");
        var changed = await harness.RunAsync(storage, collection, [archive.Path]);
        Assert.Equal((1L, 1L), (changed.Changed, changed.Embedded));
        Assert.Equal(good - 1, (await DocumentIngestionHarness.DocumentsAsync(storage, collection)).Count);
    }

    private static DocumentRow Of(IReadOnlyList<DocumentRow> documents, string file) =>
        Assert.Single(documents, d => Convert.ToHexString(d.ContentHash) == IndexingJobHarness.Sha256Hex(file));

    /// <summary>Hostile documents, each with the words its recorded error must contain.</summary>
    private static Dictionary<string, string> WriteHostileDocuments(string folder)
    {
        Directory.CreateDirectory(folder);
        var files = new Dictionary<string, (byte[] Content, string Reason)>
        {
            ["encrypted.pdf"] = (TestPdfs.Encrypted(), "encrypted"),
            ["broken-xref.pdf"] = (TestPdfs.BrokenBeyondRepair(), "Cannot extract"),
            ["report.pdf"] = ("<!DOCTYPE html><html><head><title>404</title></head><body><h1>Not Found</h1></body></html>"u8.ToArray(), "named .pdf but its content is HTML"),
            ["huge.pdf"] = (TestPdfs.ManyPages(5000), "5000 pages, over the limit of 2000"),
            ["bomb.pdf"] = (TestPdfs.ImageBomb(), "100000x100000 pixels"),
            ["empty.md"] = ([], "Cannot extract"),
        };
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, (content, reason)) in files)
        {
            var path = Path.Combine(folder, name);
            File.WriteAllBytes(path, content);
            reasons[path] = reason;
        }

        return reasons;
    }

    public void Dispose()
    {
        harness.Dispose();
        archive.Dispose();
    }
}
