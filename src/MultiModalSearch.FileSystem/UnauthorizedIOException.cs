namespace MultiModalSearch.FileSystem;

/// <summary>The file exists but we may not read it (EACCES, EPERM).</summary>
public sealed class UnauthorizedIOException(string message) : IOException(message);
