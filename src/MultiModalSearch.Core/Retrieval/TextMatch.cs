namespace MultiModalSearch.Core.Retrieval;

/// <summary>An image-to-text result: a text item of the collection, where it comes from, and its cosine to the image.</summary>
public sealed record TextMatch(string Text, string Kind, byte[] ContentHash, string Path, double Score);
