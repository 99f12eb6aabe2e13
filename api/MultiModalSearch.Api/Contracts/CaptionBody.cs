namespace MultiModalSearch.Api.Contracts;

/// <summary><c>PUT /api/assets/{id}/caption</c>: sets the caption of the content's paths in a collection (needs a write key).</summary>
public sealed record CaptionBody(string? Collection, string? Text);
