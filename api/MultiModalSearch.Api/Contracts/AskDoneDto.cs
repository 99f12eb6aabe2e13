namespace MultiModalSearch.Api.Contracts;

/// <summary>The last event of an answer (<c>done</c>): the whole text, its checked citations and how it was made (see <c>AnswerOutcome</c>).</summary>
public sealed record AskDoneDto(string Answer, IReadOnlyList<int> Citations, IReadOnlyList<int> RemovedCitations, bool Refused, bool Extractive, bool SingleFigure);
