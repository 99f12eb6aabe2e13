namespace MultiModalSearch.Api.Contracts;

/// <summary>Combinable filters; a content matches when one of its paths matches them all. Dates are the camera's local time.</summary>
public sealed record SearchFiltersDto(
    DateTime? TakenAfter = null,
    DateTime? TakenBefore = null,
    string? PathPrefix = null,
    string? Camera = null,
    string? MediaType = null,
    int? MinWidth = null,
    int? MinHeight = null);
