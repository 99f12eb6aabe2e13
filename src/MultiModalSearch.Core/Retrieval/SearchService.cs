using MultiModalSearch.Abstractions.Errors;
using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Core.Retrieval;

/// <summary>
/// Cross-modal search: the collection, then the model it was indexed with, then the query's embedding, then the nearest
/// contents. Every host (the CLI's search and demo, the HTTP service) goes through here.
/// </summary>
public sealed class SearchService(ICollectionStore collections, IVectorStore vectors, CollectionEncoders encoders)
{
    /// <exception cref="CollectionNotFoundException">No such collection.</exception>
    /// <exception cref="InvalidSettingException">The query is malformed (no or both of text and image, k out of range).</exception>
    public async Task<SearchResults> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default)
    {
        Validate(query);
        var collection = await collections.FindAsync(query.Collection, cancellationToken)
            ?? throw new CollectionNotFoundException(query.Collection);
        var encoder = await encoders.ForAsync(collection, cancellationToken);
        var vector = query.Text is not null
            ? encoder.EmbedText(query.Text)
            : encoder.EmbedImage(query.Image!.Value.Span, query.ImageName);
        var hits = await vectors.SearchAsync(collection, vector, query.K, cancellationToken: cancellationToken);
        var tokens = query.Text is null ? 0 : encoder.CountTokens(query.Text);
        return new SearchResults(collection, encoder.Model.Id, hits, tokens > encoder.MaxTextTokens ? (tokens, encoder.MaxTextTokens) : null);
    }

    private static void Validate(SearchQuery query)
    {
        if ((query.Text is null) == (query.Image is null))
        {
            throw new InvalidSettingException("query", "give exactly one of a text and an image");
        }

        if (query.Text is not null && string.IsNullOrWhiteSpace(query.Text))
        {
            throw new InvalidSettingException("text", "is empty: give some words to search for");
        }

        if (query.K is < 1 or > SearchQuery.MaxK)
        {
            throw new InvalidSettingException("k", $"must be between 1 and {SearchQuery.MaxK} (got {query.K})");
        }
    }
}
