namespace MultiModalSearch.Api.Contracts;

/// <summary>The last event of an answer (<c>done</c>): the whole text and its checked citations.</summary>
public sealed record AskDoneDto(string Answer, IReadOnlyList<int> Citations, IReadOnlyList<int> RemovedCitations, bool Refused, bool Extractive);
