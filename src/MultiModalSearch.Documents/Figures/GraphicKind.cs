namespace MultiModalSearch.Documents.Figures;

/// <summary>What a drawn element on a page is.</summary>
internal enum GraphicKind
{
    Path,
    Image,
}
