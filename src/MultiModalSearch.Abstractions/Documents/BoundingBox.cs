namespace MultiModalSearch.Abstractions.Documents;

/// <summary>
/// A rectangle on a page in PDF points (1/72 inch) with a TOP-LEFT origin: x grows to the right, y grows DOWN the page,
/// so <see cref="Top"/> &lt; <see cref="Bottom"/>. PDF user space has its origin at the bottom left; extractors flip it
/// once, so every box in the document model, in the database and on the page viewer means the same thing (a page
/// image at <c>dpi</c> maps a box by multiplying each coordinate by <c>dpi / 72</c>).
/// </summary>
public readonly record struct BoundingBox(double Left, double Top, double Right, double Bottom)
{
    public double Width => Right - Left;

    public double Height => Bottom - Top;

    public double Area => Math.Max(0, Width) * Math.Max(0, Height);

    public double CenterX => (Left + Right) / 2;

    public double CenterY => (Top + Bottom) / 2;

    public BoundingBox Union(BoundingBox other) =>
        new(Math.Min(Left, other.Left), Math.Min(Top, other.Top), Math.Max(Right, other.Right), Math.Max(Bottom, other.Bottom));

    public bool Intersects(BoundingBox other) =>
        Left < other.Right && other.Left < Right && Top < other.Bottom && other.Top < Bottom;

    /// <summary>Whether <paramref name="other"/> lies inside this box, allowing <paramref name="tolerance"/> points on each side.</summary>
    public bool Contains(BoundingBox other, double tolerance = 0) =>
        other.Left >= Left - tolerance && other.Right <= Right + tolerance &&
        other.Top >= Top - tolerance && other.Bottom <= Bottom + tolerance;

    public BoundingBox Inflate(double by) => new(Left - by, Top - by, Right + by, Bottom + by);

    /// <summary>The box clipped to [0, width] x [0, height].</summary>
    public BoundingBox ClipTo(double width, double height) =>
        new(Math.Clamp(Left, 0, width), Math.Clamp(Top, 0, height), Math.Clamp(Right, 0, width), Math.Clamp(Bottom, 0, height));

    /// <summary>Overlap of the horizontal extents, in points (0 when they do not overlap).</summary>
    public double HorizontalOverlap(BoundingBox other) => Math.Max(0, Math.Min(Right, other.Right) - Math.Max(Left, other.Left));

    public override string ToString() => FormattableString.Invariant($"[{Left:0.#}, {Top:0.#}, {Right:0.#}, {Bottom:0.#}]");
}
