namespace MultiModalSearch.Api.Contracts;

/// <summary>A text item (caption, description, file name) and its cosine similarity to the image.</summary>
public sealed record TextMatchDto(string Text, string Kind, string AssetId, string Path, double Score);
