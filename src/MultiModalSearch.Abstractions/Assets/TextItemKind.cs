
namespace MultiModalSearch.Abstractions.Assets;

/// <summary>Kinds of text attached to an asset for keyword search.</summary>
public enum TextItemKind
{
    Caption,
    Description,
    Filename,
}
