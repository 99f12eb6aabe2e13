namespace MultiModalSearch.Core.Answers;

/// <summary>The end of an answer, with its checked citations.</summary>
public sealed record AnswerDoneEvent(AnswerOutcome Outcome) : AnswerEvent;
