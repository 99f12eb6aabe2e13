using MultiModalSearch.Abstractions.Access;

namespace MultiModalSearch.Core.Access;

/// <summary>A key just created: its id (to revoke it) and its secret, which is shown this once and never stored.</summary>
public sealed record CreatedApiKey(long Id, string Collection, ApiKeyAccess Access, string Secret);
