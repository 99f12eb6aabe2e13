namespace MultiModalSearch.Core.Answers;

/// <summary>
/// A finished answer.
/// </summary>
/// <param name="Answer">The whole text (the token events concatenated).</param>
/// <param name="Citations">The source numbers the answer cites, in order of first mention; each was given to the model.</param>
/// <param name="RemovedCitations">Numbers the model cited that were not among the sources given: removed from the text, listed here as a warning.</param>
/// <param name="Refused">Nothing relevant was found, so the model was not asked; <see cref="Answer"/> says what was searched.</param>
/// <param name="Extractive">The answer quotes the top sources instead of composing one: no generator is configured, or
/// a single-figure generator (<see cref="AnswerOptions.SingleFigure"/>) had no figure to look at.</param>
/// <param name="SingleFigure">The generator's context holds one figure and a question only: it was shown the figure
/// that goes with the best source alone, its answer is attributed to that figure, and the best passage follows, quoted.</param>
public sealed record AnswerOutcome(string Answer, IReadOnlyList<int> Citations, IReadOnlyList<int> RemovedCitations, bool Refused, bool Extractive, bool SingleFigure = false);
