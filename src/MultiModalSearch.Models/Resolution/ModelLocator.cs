using MultiModalSearch.Models.Hub;

namespace MultiModalSearch.Models.Resolution;

/// <summary>
/// Decides which model a command uses: the one asked for, else the configured default, else <see cref="DefaultHubModel"/>
/// when the Hub can be reached, else the small model bundled in <c>models/emoji-clip</c>, so a machine without network
/// still gets sensible results. Also the one rule that turns a collection's recorded model id back into a folder.
/// </summary>
public sealed class ModelLocator(ModelResolver resolver, ModelLocatorOptions options)
{
    public const string DefaultHubModel = "openai/clip-vit-base-patch32";
    public const string BundledModelName = "emoji-clip";

    /// <summary>Called when the default falls back to the bundled model, with the reason; hosts tell the user.</summary>
    public Action<string>? OnFallback { get; set; }

    public async Task<ResolvedModel> LocateAsync(string? model, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var requested = string.IsNullOrWhiteSpace(model) ? options.DefaultModel : model;
        if (!string.IsNullOrWhiteSpace(requested))
        {
            var directory = await resolver.ResolveAsync(requested, progress, cancellationToken);
            // A folder is recorded by its full path, so a collection indexed from one directory is searchable from any other.
            var id = Directory.Exists(requested) ? Path.GetFullPath(requested) : requested;
            return ResolvedModel.At(id, directory);
        }

        try
        {
            return ResolvedModel.At(DefaultHubModel, await resolver.ResolveAsync(DefaultHubModel, progress, cancellationToken));
        }
        catch (ModelNotAvailableException e) when (e.Reason == ModelUnavailableReason.HubUnreachable)
        {
            var bundled = FindBundledModel(options.BundledModelSearchRoots) ?? throw new ModelNotAvailableException(DefaultHubModel, e.Reason,
                $"{e.Message} (the bundled offline model models/{BundledModelName} was not found either)", e);
            OnFallback?.Invoke($"the Hub is unreachable, so the bundled offline model '{BundledModelName}' is used");
            return ResolvedModel.At(BundledModelName, bundled);
        }
    }

    /// <summary>
    /// The model a collection was indexed with, by its recorded id: queries must be embedded by exactly that model. The
    /// bundled model is recorded by name, so a collection indexed offline stays searchable from any checkout.
    /// </summary>
    /// <exception cref="ModelNotAvailableException">The model is neither bundled here nor a folder or Hub id that resolves.</exception>
    public async Task<ResolvedModel> LocateRecordedAsync(string recordedId, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (recordedId != BundledModelName)
        {
            return await LocateAsync(recordedId, progress, cancellationToken);
        }

        var bundled = FindBundledModel(options.BundledModelSearchRoots)
            ?? throw new ModelNotAvailableException(recordedId, ModelUnavailableReason.MissingFiles,
                $"the collection was indexed with the bundled model '{recordedId}', which this installation lacks (models/{recordedId})");
        return ResolvedModel.At(recordedId, bundled);
    }

    /// <summary>models/emoji-clip in one of <paramref name="searchRoots"/> or any folder above one (a source checkout).</summary>
    public static string? FindBundledModel(IEnumerable<string> searchRoots)
    {
        foreach (var start in searchRoots.Where(s => !string.IsNullOrEmpty(s)))
        {
            for (var directory = new DirectoryInfo(start!); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "models", BundledModelName);
                if (File.Exists(Path.Combine(candidate, "config.json")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
