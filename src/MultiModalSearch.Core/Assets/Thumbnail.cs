namespace MultiModalSearch.Core.Assets;

/// <summary>A content's stored WebP preview; <see cref="IsPublic"/> when any public collection holds the content.</summary>
public sealed record Thumbnail(byte[] Webp, bool IsPublic);
