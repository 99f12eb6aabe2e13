using System.Collections.Concurrent;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Models.Inference;
using MultiModalSearch.Models.Resolution;

namespace MultiModalSearch.Core.Retrieval;

/// <summary>
/// The encoder each collection was indexed with, loaded once and kept: a query embedded by any other model would be
/// meaningless, so this is the one place that turns a collection's recorded model id into a loaded model.
/// </summary>
public sealed class CollectionEncoders(ModelLocator locator, EncoderOptions options) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<QueryEncoder>>> loaded = new(StringComparer.Ordinal);

    /// <summary>The collection's encoder; the first call for a model loads it (and may download it).</summary>
    /// <exception cref="ModelNotAvailableException">The recorded model cannot be found or fetched.</exception>
    /// <exception cref="ModelChangedException">The files under the recorded id now hold another model.</exception>
    public async Task<QueryEncoder> ForAsync(Collection collection, CancellationToken cancellationToken = default)
    {
        var encoder = await ForModelAsync(collection.ModelId, cancellationToken);
        if (collection.ModelFingerprint is { } recorded && recorded != encoder.Model.Fingerprint)
        {
            throw new ModelChangedException(collection, encoder.Model);
        }

        return encoder;
    }

    /// <summary>The encoder of a recorded model id (see <see cref="ModelLocator.LocateRecordedAsync"/>).</summary>
    public async Task<QueryEncoder> ForModelAsync(string modelId, CancellationToken cancellationToken = default)
    {
        var load = loaded.GetOrAdd(modelId, id => new Lazy<Task<QueryEncoder>>(() => LoadAsync(id)));
        try
        {
            return await load.Value.WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A failed load (no network, missing files) is not cached: the next query tries again.
            loaded.TryRemove(new KeyValuePair<string, Lazy<Task<QueryEncoder>>>(modelId, load));
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var load in loaded.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully))
        {
            load.Value.Result.Dispose();
        }
    }

    private async Task<QueryEncoder> LoadAsync(string modelId)
    {
        var resolved = await locator.LocateRecordedAsync(modelId);
        return new QueryEncoder(resolved, ClipSession.Open(resolved.Directory, options.Resolve()), options);
    }
}
