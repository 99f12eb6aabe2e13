using MultiModalSearch.Abstractions.Storage;

namespace MultiModalSearch.Storage.Postgres;

/// <summary>One schema step. Versions are applied in order, each exactly once per database.</summary>
public sealed record Migration(int Version, string Name, string Sql);
