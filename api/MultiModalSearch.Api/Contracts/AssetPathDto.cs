namespace MultiModalSearch.Api.Contracts;

public sealed record AssetPathDto(string Collection, string Path, long Bytes, DateTime Modified, DateTime? IndexedAt);
