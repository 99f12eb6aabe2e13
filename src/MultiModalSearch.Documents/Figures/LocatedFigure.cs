using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Documents.Layout;

namespace MultiModalSearch.Documents.Figures;

/// <summary>A figure region found on a page, before it becomes a <see cref="DocumentFigure"/>.</summary>
internal sealed class LocatedFigure(int page, BoundingBox box, FigureKind kind)
{
    public int Page { get; set; } = page;

    public BoundingBox Box { get; set; } = box;

    public FigureKind Kind { get; set; } = kind;

    public TextBlock? Caption { get; set; }

    public string? SubCaption { get; set; }

    /// <summary>Text blocks inside the region, in reading order.</summary>
    public List<TextBlock> Blocks { get; } = [];

    public override string ToString() => $"p{Page} {Kind} {Box} {Caption?.Text}";
}
