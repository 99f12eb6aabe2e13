namespace MultiModalSearch.Abstractions.DocumentStorage;

/// <summary>What a document collection holds now: live documents, their passages and figures (and how many have a crop).</summary>
public sealed record DocumentCounts(long Documents, long Pages, long Passages, long Figures, long FigureCrops);
