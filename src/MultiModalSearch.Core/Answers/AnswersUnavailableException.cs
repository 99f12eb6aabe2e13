namespace MultiModalSearch.Core.Answers;

/// <summary>Answers cannot be given in this installation: no document retrieval is registered.</summary>
public sealed class AnswersUnavailableException(string message) : Exception(message);
