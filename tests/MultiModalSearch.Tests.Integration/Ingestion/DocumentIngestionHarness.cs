using Dapper;
using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Core.Indexing;
using MultiModalSearch.Core.Ingestion;
using MultiModalSearch.Documents.Rendering;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;
using MultiModalSearch.Storage.Postgres;
using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Indexing;
using MultiModalSearch.Tests.Storage;

namespace MultiModalSearch.Tests.Ingestion;

/// <summary>In-process ingestion runs with the tiny CLIP model, and what the document tables hold afterwards.</summary>
internal sealed class DocumentIngestionHarness : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);

    public ClipSession Session { get; } = ClipSession.Open(ClipTinyFixture.Directory, ComputeOptions.Cpu);

    public Task<IndexingSummary> RunAsync(PostgresDatabase storage, string collection, IReadOnlyList<string> roots, bool prune = false,
        DocumentExtractionOptions? extraction = null) =>
        new DocumentIngestionJob(storage.IndexingStores(), storage.Documents, Session, null, FallbackPageRenderer.CreateDefault(), new DocumentIngestionOptions
        {
            Indexing = new IndexingOptions
            {
                Roots = roots,
                Collection = collection,
                ModelId = IndexingJobHarness.ModelId,
                Prune = prune,
                Pipeline = new PipelineOptions { BatchSize = 4, Workers = 1 },
            },
            Extraction = extraction ?? DocumentExtractionOptions.Default,
        }).RunAsync().WaitAsync(RunTimeout);

    /// <summary>Every document row of the collection (live or not), with its passage and figure counts.</summary>
    public static async Task<IReadOnlyList<DocumentRow>> DocumentsAsync(PostgresDatabase storage, string collection)
    {
        var found = await IndexingJobHarness.CollectionAsync(storage, collection);
        await using var connection = await storage.DataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<DocumentRow>("""
            SELECT d.id AS Id, d.content_hash AS ContentHash, d.title AS Title, jsonb_array_length(d.pages) AS Pages,
                   (SELECT count(*) FROM document_passages p WHERE p.document_id = d.id) AS Passages,
                   (SELECT count(*) FROM document_figures f WHERE f.document_id = d.id) AS Figures
            FROM documents d WHERE d.collection_id = @id ORDER BY d.id
            """, new { id = found.Id });
        return rows.ToList();
    }

    public static async Task<IReadOnlyList<FigureRow>> FiguresAsync(PostgresDatabase storage, long documentId)
    {
        await using var connection = await storage.DataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<FigureRow>("""
            SELECT ordinal AS Ordinal, page AS Page, reference AS Reference, caption AS Caption, box_left AS BoxLeft, box_top AS BoxTop,
                   box_right AS BoxRight, box_bottom AS BoxBottom, crop_webp AS CropWebp, crop_width AS CropWidth, crop_height AS CropHeight,
                   image_embedding IS NOT NULL AS HasImageEmbedding
            FROM document_figures WHERE document_id = @documentId ORDER BY ordinal
            """, new { documentId });
        return rows.ToList();
    }

    public void Dispose() => Session.Dispose();
}

internal sealed class DocumentRow
{
    public long Id { get; set; }
    public byte[] ContentHash { get; set; } = [];
    public string? Title { get; set; }
    public int Pages { get; set; }
    public long Passages { get; set; }
    public long Figures { get; set; }
}

internal sealed class FigureRow
{
    public int Ordinal { get; set; }
    public int Page { get; set; }
    public string? Reference { get; set; }
    public string? Caption { get; set; }
    public double? BoxLeft { get; set; }
    public double? BoxTop { get; set; }
    public double? BoxRight { get; set; }
    public double? BoxBottom { get; set; }
    public byte[]? CropWebp { get; set; }
    public int? CropWidth { get; set; }
    public int? CropHeight { get; set; }
    public bool HasImageEmbedding { get; set; }
}
