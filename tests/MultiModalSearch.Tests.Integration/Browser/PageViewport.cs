namespace MultiModalSearch.Tests.Browser;

/// <summary>The window sizes the page is tested and photographed at.</summary>
public sealed record PageViewport(string Name, int Width, int Height, bool IsMobile)
{
    public static readonly PageViewport Desktop = new("desktop", 1280, 860, false);

    public static readonly PageViewport Phone = new("phone", 390, 844, true);
}
