namespace MultiModalSearch.Api.Problems;

/// <summary>An upload that cannot be read: a truncated or malformed multipart body, a missing file field, an empty body.</summary>
internal sealed class MalformedUploadException(string message, Exception? inner = null) : Exception(message, inner);
