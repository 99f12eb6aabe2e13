using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Abstractions.DocumentRetrieval;

namespace MultiModalSearch.Abstractions.DocumentStorage;

/// <summary>
/// A passage or figure one retrieval stage found, with what later stages need: its text (a figure's caption and nearby
/// text), the question's terms it contains (full text) and the stage's own score (cosine similarity or text rank).
/// </summary>
public sealed record DocumentCandidate(
    DocumentHitKind Kind,
    long Id,
    long DocumentId,
    string DocumentPath,
    int Page,
    BoundingBox? Box,
    string Text,
    IReadOnlyList<string> HeadingPath,
    double Score,
    IReadOnlyList<string> MatchedTerms)
{
    /// <summary>Passages and figures share one id space per kind only: the key tells them apart in a fusion.</summary>
    public string Key => $"{(Kind == DocumentHitKind.Passage ? 'p' : 'f')}{Id}";
}
