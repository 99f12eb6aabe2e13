namespace MultiModalSearch.Core.DocumentRetrieval;

/// <summary>No such document, page or figure in the collection (or one the caller may not see: the same answer).</summary>
public sealed class DocumentNotFoundException(string message) : Exception(message);
