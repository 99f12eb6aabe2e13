using MultiModalSearch.Models.Hub;

namespace MultiModalSearch.Models.Resolution;

/// <summary>
/// Decides which model a command uses: <c>--model</c>, else <c>$MMS_MODEL</c>, else <see cref="DefaultHubModel"/> when
/// the Hub can be reached, else the small model bundled in <c>models/emoji-clip</c>, so a machine without network
/// still gets sensible results.
/// </summary>
public sealed class ModelLocator(ModelResolver resolver)
{
    public const string DefaultHubModel = "openai/clip-vit-base-patch32";
    public const string BundledModelName = "emoji-clip";

    public ModelLocator() : this(new ModelResolver())
    {
    }

    /// <summary>Called when the default falls back to the bundled model, with the reason; the CLI prints it.</summary>
    public Action<string>? OnFallback { get; init; }

    public async Task<ResolvedModel> LocateAsync(string? model, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var requested = string.IsNullOrWhiteSpace(model) ? Environment.GetEnvironmentVariable("MMS_MODEL") : model;
        if (!string.IsNullOrWhiteSpace(requested))
        {
            var directory = await resolver.ResolveAsync(requested, progress, cancellationToken);
            // A folder is recorded by its full path, so a collection indexed from one directory is searchable from any other.
            var id = Directory.Exists(requested) ? Path.GetFullPath(requested) : requested;
            return new ResolvedModel(id, directory);
        }

        try
        {
            return new ResolvedModel(DefaultHubModel, await resolver.ResolveAsync(DefaultHubModel, progress, cancellationToken));
        }
        catch (ModelNotAvailableException e) when (e.Reason == ModelUnavailableReason.HubUnreachable)
        {
            var bundled = FindBundledModel() ?? throw new ModelNotAvailableException(DefaultHubModel, e.Reason,
                $"{e.Message} (the bundled offline model models/{BundledModelName} was not found either)", e);
            OnFallback?.Invoke($"the Hub is unreachable, so the bundled offline model '{BundledModelName}' is used (pass --model for another)");
            return new ResolvedModel(BundledModelName, bundled);
        }
    }

    /// <summary>models/emoji-clip beside the installed tool, or in any folder above it (a source checkout).</summary>
    public static string? FindBundledModel()
    {
        var home = Environment.GetEnvironmentVariable("MMS_HOME");
        var starts = new[] { home, AppContext.BaseDirectory, Environment.CurrentDirectory }.Where(s => !string.IsNullOrEmpty(s));
        foreach (var start in starts)
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
