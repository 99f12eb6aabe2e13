namespace MultiModalSearch.Abstractions.Retrieval;

/// <summary>One text of a content (caption, description, file name) and the path it belongs to.</summary>
public sealed record TextItem(byte[] ContentHash, string Path, string Kind, string Text);
