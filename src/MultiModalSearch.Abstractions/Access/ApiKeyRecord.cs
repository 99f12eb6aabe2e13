namespace MultiModalSearch.Abstractions.Access;

/// <summary>A stored API key (never its secret: only a hash of it is kept). <see cref="RevokedAt"/> is UTC.</summary>
public sealed record ApiKeyRecord(long Id, int CollectionId, string CollectionName, ApiKeyAccess Access, DateTime CreatedAt, DateTime? RevokedAt);
