namespace MultiModalSearch.Core.Access;

/// <summary>The operation needs an API key and the caller sent none, or one that is unknown or revoked.</summary>
public sealed class AuthenticationRequiredException(string message) : Exception(message);
