using System.Text.Json;
using Dapper;
using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Abstractions.DocumentStorage;
using MultiModalSearch.Abstractions.Storage;
using Pgvector;

namespace MultiModalSearch.Storage.Postgres;

/// <summary>Documents, passages and figures over PostgreSQL; statements in <see cref="DocumentSql"/>.</summary>
public sealed partial class PostgresDocumentStore : IDocumentStore
{
    private readonly PostgresConnections connections;

    internal PostgresDocumentStore(PostgresConnections connections) => this.connections = connections;

    public async Task PutDocumentsAsync(Collection collection, IReadOnlyList<DocumentContent> documents, CancellationToken cancellationToken = default)
    {
        foreach (var document in documents)
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var key = new { collectionId = collection.Id, contentHash = document.ContentHash };
            await connection.ExecuteAsync(PostgresConnections.Command(DocumentSql.DeleteDocument, key, transaction, cancellationToken));
            var documentId = await connection.ExecuteScalarAsync<long>(PostgresConnections.Command(DocumentSql.InsertDocument, new
            {
                collectionId = collection.Id,
                contentHash = document.ContentHash,
                format = document.Format.ToString().ToLowerInvariant(),
                title = Storable(document.Title),
                pages = JsonSerializer.Serialize(document.Pages.Select(p => new { number = p.Number, width = p.Width, height = p.Height, text_layer = p.TextLayer.ToString(), words = p.WordCount })),
                warnings = document.Warnings.Select(PostgresConnections.StorableText).ToArray(),
                textModel = document.TextModel,
            }, transaction, cancellationToken));
            await connection.ExecuteAsync(PostgresConnections.Command(DocumentSql.InsertPassage, document.Passages.Select(p => PassageRow(documentId, p)), transaction, cancellationToken));
            await connection.ExecuteAsync(PostgresConnections.Command(DocumentSql.InsertFigure, document.Figures.Select(f => FigureRow(documentId, f)), transaction, cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }
    }

    public async Task<DocumentCounts> CountAsync(Collection collection, CancellationToken cancellationToken = default) =>
        (await connections.QueryAsync<DocumentCounts>(DocumentSql.Count, new { collectionId = collection.Id }, cancellationToken))[0];

    private static object PassageRow(long documentId, StoredPassage stored)
    {
        var passage = stored.Passage;
        var first = passage.Boxes.Where(b => b.Page == passage.FirstPage).Select(b => b.Box).ToList();
        BoundingBox? box = first.Count == 0 ? null : first.Aggregate((a, b) => a.Union(b));
        var text = PostgresConnections.StorableText(passage.Text);
        return new
        {
            documentId,
            ordinal = passage.Index,
            text,
            headingPath = JsonSerializer.Serialize(passage.HeadingPath.Select(PostgresConnections.StorableText)),
            firstPage = passage.FirstPage,
            lastPage = passage.LastPage,
            boxLeft = box?.Left,
            boxTop = box?.Top,
            boxRight = box?.Right,
            boxBottom = box?.Bottom,
            boxes = JsonSerializer.Serialize(passage.Boxes.Select(b => new { page = b.Page, box = new[] { b.Box.Left, b.Box.Top, b.Box.Right, b.Box.Bottom } })),
            tokenCount = passage.TokenCount,
            embedding = stored.Embedding is null ? null : new Vector(stored.Embedding),
            // Headings name what a passage is about even when its own words do not.
            searchText = PostgresConnections.StorableText(string.Join("\n", passage.HeadingPath.Append(passage.Text))),
        };
    }

    private static object FigureRow(long documentId, StoredFigure stored)
    {
        var figure = stored.Figure;
        var box = figure.Provenance.Box;
        return new
        {
            documentId,
            ordinal = figure.Index,
            kind = figure.Kind.ToString().ToLowerInvariant(),
            page = figure.Provenance.Page,
            boxLeft = box?.Left,
            boxTop = box?.Top,
            boxRight = box?.Right,
            boxBottom = box?.Bottom,
            caption = Storable(figure.Caption?.Text),
            reference = figure.Caption?.Reference,
            description = PostgresConnections.StorableText(figure.Description),
            searchText = PostgresConnections.StorableText(stored.SearchText),
            cropWebp = stored.CropWebp,
            cropWidth = stored.CropWebp is null ? (int?)null : stored.CropWidth,
            cropHeight = stored.CropWebp is null ? (int?)null : stored.CropHeight,
            imageEmbedding = stored.ImageEmbedding is null ? null : new Vector(stored.ImageEmbedding),
            textEmbedding = stored.TextEmbedding is null ? null : new Vector(stored.TextEmbedding),
        };
    }

    private static string? Storable(string? text) => text is null ? null : PostgresConnections.StorableText(text);
}
