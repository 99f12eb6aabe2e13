namespace MultiModalSearch.Core.Answers;

/// <summary>
/// What an answer streams, in this order: <see cref="AnswerSourcesEvent"/> once, <see cref="AnswerTokenEvent"/> as the
/// text arrives (their texts concatenate to the final answer), then <see cref="AnswerDoneEvent"/> once.
/// </summary>
public abstract record AnswerEvent;
