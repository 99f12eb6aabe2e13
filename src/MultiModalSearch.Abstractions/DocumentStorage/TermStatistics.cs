namespace MultiModalSearch.Abstractions.DocumentStorage;

/// <summary>
/// The question's full-text terms (stemmed, stop words out) and, per term, how many of the collection's passages and
/// figures hold it, out of <see cref="Total"/>: the weights that tell a rare, telling term from a common one.
/// </summary>
public sealed record TermStatistics(IReadOnlyList<string> Terms, IReadOnlyDictionary<string, long> DocumentFrequency, long Total);
