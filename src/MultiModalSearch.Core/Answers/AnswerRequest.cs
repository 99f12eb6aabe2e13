namespace MultiModalSearch.Core.Answers;

/// <summary>A question about one collection of documents. Access to the collection is checked by the caller.</summary>
/// <param name="K">The most sources retrieved; fewer may fit the model's context.</param>
public sealed record AnswerRequest(string Collection, string Question, int K = 8);
