namespace MultiModalSearch.Core.Answers;

/// <summary>
/// A finished answer.
/// </summary>
/// <param name="Answer">The whole text (the token events concatenated).</param>
/// <param name="Citations">The source numbers the answer cites, in order of first mention; each was given to the model.</param>
/// <param name="RemovedCitations">Numbers the model cited that were not among the sources given: removed from the text, listed here as a warning.</param>
/// <param name="Refused">Nothing relevant was found, so the model was not asked; <see cref="Answer"/> says what was searched.</param>
/// <param name="Extractive">No generator is configured: the answer quotes the top sources instead of composing one.</param>
public sealed record AnswerOutcome(string Answer, IReadOnlyList<int> Citations, IReadOnlyList<int> RemovedCitations, bool Refused, bool Extractive);
