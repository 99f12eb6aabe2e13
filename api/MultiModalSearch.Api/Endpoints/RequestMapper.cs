using System.Text.Json;
using MultiModalSearch.Abstractions.Errors;
using MultiModalSearch.Abstractions.Retrieval;
using MultiModalSearch.Api.Contracts;
using MultiModalSearch.Core.Retrieval;

namespace MultiModalSearch.Api.Endpoints;

/// <summary>Request JSON into the library's request: values it cannot express are refused here, naming the field.</summary>
internal static class RequestMapper
{
    public static string RequireCollection(string? collection) =>
        string.IsNullOrWhiteSpace(collection) ? throw new InvalidSettingException("collection", "is required: name the collection to search") : collection;

    public static SearchFilter Filter(SearchFiltersDto? filters) => filters is null ? SearchFilter.None : new SearchFilter
    {
        TakenAfter = Local(filters.TakenAfter),
        TakenBefore = Local(filters.TakenBefore),
        PathPrefix = filters.PathPrefix,
        Camera = filters.Camera,
        MediaType = filters.MediaType,
        MinWidth = filters.MinWidth,
        MinHeight = filters.MinHeight,
    };

    public static RerankOptions Rerank(RerankDto? rerank, RetrievalOptions defaults) => rerank is null ? RerankOptions.Default : new RerankOptions
    {
        Hybrid = rerank.Hybrid,
        Mmr = Fraction(rerank.Mmr, defaults.DefaultMmrLambda, "rerank.mmr"),
        Collapse = Fraction(rerank.Collapse, defaults.DefaultCollapseThreshold, "rerank.collapse"),
        Model = rerank.Model,
    };

    public static bool Cutoff(string? cutoff) => cutoff?.ToLowerInvariant() switch
    {
        null or "none" => false,
        "auto" => true,
        _ => throw new InvalidSettingException("cutoff", $"must be \"auto\" or left out (got \"{Shorten(cutoff)}\")"),
    };

    public static ResultOrder Sort(string? sort) => sort?.ToLowerInvariant() switch
    {
        null or "relevance" => ResultOrder.Relevance,
        "takenat" or "taken_at" or "date" => ResultOrder.TakenAt,
        _ => throw new InvalidSettingException("sort", $"must be \"relevance\" or \"takenAt\" (got \"{Shorten(sort)}\")"),
    };

    /// <summary>true: the default; false or null: off; a number: itself (the library checks its range).</summary>
    private static double? Fraction(JsonElement? value, double fallback, string setting) => value?.ValueKind switch
    {
        null or JsonValueKind.Null or JsonValueKind.False => null,
        JsonValueKind.True => fallback,
        JsonValueKind.Number when value.Value.TryGetDouble(out var number) => number,
        _ => throw new InvalidSettingException(setting, "must be true, false or a number between 0 and 1"),
    };

    /// <summary>EXIF dates are the camera's wall clock: a date is compared as written, whatever zone the client added.</summary>
    private static DateTime? Local(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Unspecified) : null;

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 40 ? text : text[..40] + "...";
}
