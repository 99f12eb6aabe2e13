using MultiModalSearch.Abstractions.Documents;

namespace MultiModalSearch.Documents.Figures;

/// <summary>A vector path or an embedded image, by its box on the page (points, top-left origin).</summary>
internal readonly record struct GraphicElement(BoundingBox Box, GraphicKind Kind);
