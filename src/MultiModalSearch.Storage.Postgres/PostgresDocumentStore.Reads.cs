using System.Text.Json;
using Dapper;
using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Abstractions.DocumentRetrieval;
using MultiModalSearch.Abstractions.DocumentStorage;
using MultiModalSearch.Abstractions.Storage;
using Pgvector;

namespace MultiModalSearch.Storage.Postgres;

/// <summary>The reads of document retrieval and the page viewer.</summary>
public sealed partial class PostgresDocumentStore
{
    public async Task<TermStatistics> TermStatisticsAsync(Collection collection, string question, CancellationToken cancellationToken = default)
    {
        var args = new { collectionId = collection.Id, question };
        var rows = await connections.QueryAsync<(string Term, long Frequency)>(DocumentSql.TermFrequencies, args, cancellationToken);
        var total = (await connections.QueryAsync<long>(DocumentSql.TextUnits, args, cancellationToken))[0];
        return new TermStatistics(rows.Select(r => r.Term).ToList(), rows.ToDictionary(r => r.Term, r => r.Frequency, StringComparer.Ordinal), total);
    }

    public Task<IReadOnlyList<DocumentCandidate>> SearchPassageTextAsync(Collection collection, string question, int limit, CancellationToken cancellationToken = default) =>
        CandidatesAsync(DocumentHitKind.Passage, DocumentSql.SearchPassageText, new { collectionId = collection.Id, question, limit }, cancellationToken);

    public Task<IReadOnlyList<DocumentCandidate>> SearchFigureTextAsync(Collection collection, string question, int limit, CancellationToken cancellationToken = default) =>
        CandidatesAsync(DocumentHitKind.Figure, DocumentSql.SearchFigureText, new { collectionId = collection.Id, question, limit }, cancellationToken);

    public Task<IReadOnlyList<DocumentCandidate>> SearchPassageVectorsAsync(Collection collection, string textModel, float[] query, int limit, CancellationToken cancellationToken = default) =>
        CandidatesAsync(DocumentHitKind.Passage, DocumentSql.SearchPassageVectors, new { collectionId = collection.Id, textModel, query = new Vector(query), limit }, cancellationToken);

    public Task<IReadOnlyList<DocumentCandidate>> SearchFigureTextVectorsAsync(Collection collection, string textModel, float[] query, int limit, CancellationToken cancellationToken = default) =>
        CandidatesAsync(DocumentHitKind.Figure, DocumentSql.SearchFigureTextVectors, new { collectionId = collection.Id, textModel, query = new Vector(query), limit }, cancellationToken);

    public Task<IReadOnlyList<DocumentCandidate>> SearchFigureImagesAsync(Collection collection, float[] query, int limit, CancellationToken cancellationToken = default) =>
        CandidatesAsync(DocumentHitKind.Figure, DocumentSql.SearchFigureImages, new { collectionId = collection.Id, query = new Vector(query), limit }, cancellationToken);

    public async Task<IReadOnlyList<string>> TextModelsAsync(Collection collection, CancellationToken cancellationToken = default) =>
        await connections.QueryAsync<string>(DocumentSql.TextModels, new { collectionId = collection.Id }, cancellationToken);

    public async Task<byte[]?> FigureCropAsync(Collection collection, long figureId, CancellationToken cancellationToken = default) =>
        (await connections.QueryAsync<byte[]>(DocumentSql.FigureCrop, new { collectionId = collection.Id, figureId }, cancellationToken)) is [var webp, ..] ? webp : null;

    public async Task<DocumentPageInfo?> DocumentAsync(Collection collection, long documentId, CancellationToken cancellationToken = default)
    {
        var rows = await connections.QueryAsync<(long Id, string Path, string Format, string Pages)>(DocumentSql.Document, new { collectionId = collection.Id, documentId }, cancellationToken);
        if (rows is not [var row, ..])
        {
            return null;
        }

        using var pages = JsonDocument.Parse(row.Pages);
        var sizes = pages.RootElement.EnumerateArray().Select(p => (p.GetProperty("width").GetDouble(), p.GetProperty("height").GetDouble())).ToList();
        return new DocumentPageInfo(row.Id, row.Path, Enum.Parse<DocumentFormat>(row.Format, ignoreCase: true), sizes);
    }

    public async Task<byte[]?> PageRenderAsync(long documentId, int page, int dpi, CancellationToken cancellationToken = default) =>
        (await connections.QueryAsync<byte[]>(DocumentSql.PageRender, new { documentId, page, dpi }, cancellationToken)) is [var webp, ..] ? webp : null;

    public Task PutPageRenderAsync(long documentId, int page, int dpi, byte[] webp, int width, int height, CancellationToken cancellationToken = default) =>
        connections.ExecuteAsync(DocumentSql.PutPageRender, new { documentId, page, dpi, webp, width, height }, cancellationToken);

    private async Task<IReadOnlyList<DocumentCandidate>> CandidatesAsync(DocumentHitKind kind, string sql, object args, CancellationToken cancellationToken)
    {
        var rows = await connections.QueryAsync<CandidateRow>(sql, args, cancellationToken);
        return rows.Select(r => new DocumentCandidate(
            kind, r.Id, r.DocumentId, r.Path, r.Page,
            r.BoxLeft is { } left ? new BoundingBox(left, r.BoxTop!.Value, r.BoxRight!.Value, r.BoxBottom!.Value) : null,
            r.Text, JsonSerializer.Deserialize<string[]>(r.HeadingPath) ?? [], r.Score, r.Matched ?? [])).ToList();
    }

    private sealed class CandidateRow
    {
        public long Id { get; set; }
        public long DocumentId { get; set; }
        public string Path { get; set; } = "";
        public int Page { get; set; }
        public double? BoxLeft { get; set; }
        public double? BoxTop { get; set; }
        public double? BoxRight { get; set; }
        public double? BoxBottom { get; set; }
        public string Text { get; set; } = "";
        public string HeadingPath { get; set; } = "[]";
        public double Score { get; set; }
        public string[]? Matched { get; set; }
    }
}
