namespace MultiModalSearch.Abstractions.DocumentRetrieval;

/// <summary>A question to find sources for in one collection of documents.</summary>
/// <param name="K">The most sources returned (passages and figures together).</param>
public sealed record DocumentQuestion(string Collection, string Question, int K = 10);
