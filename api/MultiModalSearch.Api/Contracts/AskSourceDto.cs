namespace MultiModalSearch.Api.Contracts;

/// <summary>One numbered source of an answer (the <c>sources</c> event).</summary>
/// <param name="Kind">"passage" or "figure".</param>
/// <param name="Box">Where on the page, or null when unknown.</param>
/// <param name="CropUrl">The figure's crop image (figures only, else null); signed when the collection is private.</param>
/// <param name="PageUrl">The page the source is on.</param>
public sealed record AskSourceDto(int N, string Kind, long DocumentId, string DocumentPath, int Page, AskBoxDto? Box, string Text, string? CropUrl, string PageUrl);
