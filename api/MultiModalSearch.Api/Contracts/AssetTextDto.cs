namespace MultiModalSearch.Api.Contracts;

public sealed record AssetTextDto(string Collection, string Path, string Kind, string Text);
