namespace MultiModalSearch.Abstractions.Documents;

/// <summary>A box on a given physical page (PDF points, top-left origin).</summary>
public readonly record struct PageBox(int Page, BoundingBox Box);
