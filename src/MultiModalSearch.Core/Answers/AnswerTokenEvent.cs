namespace MultiModalSearch.Core.Answers;

/// <summary>The next piece of the answer's text, already checked: citations to sources not given are not in it.</summary>
public sealed record AnswerTokenEvent(string Text) : AnswerEvent;
