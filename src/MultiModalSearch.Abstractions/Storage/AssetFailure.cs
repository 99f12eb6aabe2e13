namespace MultiModalSearch.Abstractions.Storage;

/// <summary>A path whose indexing failed, with the error and when (UTC).</summary>
public sealed record AssetFailure(string Path, string Error, DateTime FailedAt);
