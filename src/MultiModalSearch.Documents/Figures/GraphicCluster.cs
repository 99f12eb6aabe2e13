using MultiModalSearch.Abstractions.Documents;

namespace MultiModalSearch.Documents.Figures;

/// <summary>Graphic elements that touch or nearly touch: one drawing (or one part of one).</summary>
internal sealed class GraphicCluster(BoundingBox box)
{
    public BoundingBox Box { get; set; } = box;

    public List<GraphicElement> Elements { get; } = [];

    public int Paths { get; set; }

    public int Images { get; set; }

    /// <summary>Paths that are thin horizontal or vertical lines: a cluster of nothing else is the ruling of a table.</summary>
    public int Rules { get; set; }

    /// <summary>Set once a figure has taken the cluster.</summary>
    public bool Claimed { get; set; }

    public bool IsRuling => Images == 0 && Paths >= 3 && Rules == Paths;

    public void Add(GraphicElement element)
    {
        Box = Elements.Count == 0 ? element.Box : Box.Union(element.Box);
        Elements.Add(element);
        if (element.Kind == GraphicKind.Image)
        {
            Images++;
            return;
        }
        Paths++;
        if (Math.Min(element.Box.Width, element.Box.Height) <= 1.5)
            Rules++;
    }

    public override string ToString() => $"{Box} paths={Paths} images={Images}";
}
