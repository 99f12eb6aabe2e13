namespace MultiModalSearch.Abstractions.DocumentRetrieval;

/// <summary>What a retrieved source is: a passage of text or a figure (its crop, caption and surrounding text).</summary>
public enum DocumentHitKind
{
    Passage,
    Figure,
}
