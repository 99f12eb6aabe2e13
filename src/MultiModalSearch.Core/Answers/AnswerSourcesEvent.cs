namespace MultiModalSearch.Core.Answers;

/// <summary>The numbered sources the answer may cite (empty for a refusal).</summary>
public sealed record AnswerSourcesEvent(IReadOnlyList<AnswerSource> Sources) : AnswerEvent;
