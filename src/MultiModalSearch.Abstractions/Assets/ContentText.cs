namespace MultiModalSearch.Abstractions.Assets;

/// <summary>A text item of one path of a content.</summary>
public sealed record ContentText(string Collection, string Path, TextItemKind Kind, string Text);
