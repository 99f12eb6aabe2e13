namespace MultiModalSearch.Abstractions.Documents;

/// <summary>A rendered page or page region, encoded as WebP; <see cref="Width"/> and <see cref="Height"/> in pixels.</summary>
public sealed record PageRender(byte[] Webp, int Width, int Height);
