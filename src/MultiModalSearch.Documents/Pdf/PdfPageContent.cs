using MultiModalSearch.Documents.Figures;
using MultiModalSearch.Documents.Layout;

namespace MultiModalSearch.Documents.Pdf;

/// <summary>What one PDF page holds, in points with a top-left origin, and what layout made of it.</summary>
internal sealed class PdfPageContent(int number, double width, double height)
{
    public int Number { get; } = number;

    public double Width { get; } = width;

    public double Height { get; } = height;

    public List<TextWord> Words { get; } = [];

    public List<GraphicElement> Graphics { get; } = [];

    /// <summary>Total area of embedded images on the page, to tell a scan from a drawing.</summary>
    public double ImageArea { get; set; }

    public List<TextBlock> Blocks { get; set; } = [];

    public List<GraphicCluster> Clusters { get; set; } = [];
}
