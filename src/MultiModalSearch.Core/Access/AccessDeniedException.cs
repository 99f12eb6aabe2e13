namespace MultiModalSearch.Core.Access;

/// <summary>The caller may read the collection but not do this to it (a read-only key on a write).</summary>
public sealed class AccessDeniedException(string message) : Exception(message);
