using MultiModalSearch.Models;

namespace MultiModalSearch.Cli;

/// <summary>The one place commands turn <c>--model</c> into a local model folder.</summary>
internal static class ModelPaths
{
    /// <summary>
    /// A local folder as is; otherwise (a Hub id, or nothing: $MMS_MODEL, the default Hub model, else the bundled
    /// offline model) whatever <see cref="ModelLocator"/> decides.
    /// </summary>
    public static async Task<string> ResolveOrDefaultAsync(string? model, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(model) && Directory.Exists(model))
        {
            return model;
        }

        var locator = new ModelLocator { OnFallback = message => Console.Error.WriteLine($"note: {message}") };
        var resolved = await locator.LocateAsync(model, progress: null, cancellationToken);
        return resolved.Directory;
    }
}
