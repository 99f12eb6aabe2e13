namespace MultiModalSearch.Models.Resolution;

/// <summary>Which model a command gets when it names none, and where the bundled offline model is looked for.</summary>
public sealed record ModelLocatorOptions
{
    /// <summary>The user's default model (folder or Hub id), before the built-in default; the CLI reads it from <c>MMS_MODEL</c>.</summary>
    public string? DefaultModel { get; init; }

    /// <summary>Folders whose <c>models/emoji-clip</c>, or that of any folder above them, holds the bundled model.</summary>
    public IReadOnlyList<string> BundledModelSearchRoots { get; init; } = [AppContext.BaseDirectory];
}
