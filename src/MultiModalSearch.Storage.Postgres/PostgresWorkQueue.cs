using Dapper;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.FileSystem;
using Npgsql;

namespace MultiModalSearch.Storage.Postgres;

/// <summary>
/// The crawl/claim/record queue in the assets table. Claims are leases (<c>FOR UPDATE SKIP LOCKED</c>), so any number of
/// workers on any number of machines share one collection. Every statement that stops a path from referring to its
/// content also deletes the content's embedding when no live path refers to it any more, in the same transaction.
/// </summary>
public sealed class PostgresWorkQueue : IWorkQueue
{
    private const int MaxErrorLength = 4000;
    private readonly PostgresConnections connections;

    internal PostgresWorkQueue(PostgresConnections connections) => this.connections = connections;

    public async Task<CrawlResult> UpsertCrawlAsync(Collection collection, IEnumerable<CrawlEntry> entries, CancellationToken cancellationToken = default)
    {
        // A path twice in one statement would make ON CONFLICT DO UPDATE fail; the last sighting wins.
        var batch = entries.GroupBy(e => e.Path, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        var crawled = new
        {
            collectionId = collection.Id,
            pathBytes = batch.Select(e => FileNames.Encode(e.Path)).ToArray(),
            paths = batch.Select(e => FileNames.Display(e.Path)).ToArray(),
            bytes = batch.Select(e => e.Bytes).ToArray(),
            mtimes = batch.Select(e => e.Modified.UtcDateTime).ToArray(),
        };
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changedContent = await ExclusiveQueryAsync<byte[]>(connection, transaction, collection, StorageSql.ChangedContentAmong, crawled, cancellationToken);
        var touched = (await connection.QueryAsync<bool>(PostgresConnections.Command(StorageSql.UpsertCrawl, crawled, transaction, cancellationToken))).ToList();
        await DeleteOrphansAsync(connection, transaction, collection, changedContent, cancellationToken);
        var pending = (await connection.QueryAsync<WorkRow>(PostgresConnections.Command(StorageSql.PendingAmong,
            new { collectionId = collection.Id, crawled.pathBytes }, transaction, cancellationToken))).Select(r => r.ToWorkItem()).ToList();
        await transaction.CommitAsync(cancellationToken);
        var added = touched.Count(inserted => inserted);
        return new CrawlResult(added, touched.Count - added, batch.Count - touched.Count, pending);
    }

    public async Task<IReadOnlyList<WorkItem>> ClaimAsync(Collection collection, string workerId, int limit, TimeSpan? lease = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var claimed = await connections.QueryAsync<WorkRow>(StorageSql.Claim,
            new { collectionId = collection.Id, worker = workerId, limit, lease = lease ?? PostgresCollectionStore.DefaultLease }, cancellationToken);
        return claimed.OrderBy(w => w.AssetId).Select(r => r.ToWorkItem()).ToList();
    }

    public async Task<IReadOnlyList<long>> RecordResultsAsync(Collection collection, IReadOnlyList<AssetResult> results, IReadOnlyList<EmbeddingRow> embeddings, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(PostgresConnections.Command(StorageSql.EmbeddingsShared, new { collectionId = collection.Id }, transaction, cancellationToken));
        if (embeddings.Count > 0)
        {
            await PostgresVectorStore.CopyAsync(connection, transaction, collection, embeddings, cancellationToken);
        }

        var missing = (await connection.QueryAsync<byte[]>(PostgresConnections.Command(StorageSql.MissingEmbeddings,
            new { collectionId = collection.Id, hashes = results.Select(r => r.ContentHash).ToArray() }, transaction, cancellationToken)))
            .Select(Convert.ToHexString).ToHashSet(StringComparer.Ordinal);
        var (complete, requeue) = Split(results, r => !missing.Contains(Convert.ToHexString(r.ContentHash)));
        await connection.ExecuteAsync(PostgresConnections.Command(StorageSql.CompleteAsset,
            complete.Select(r => AssetUpdate(collection, r)), transaction, cancellationToken));
        var requeued = requeue.Select(r => r.AssetId).ToArray();
        if (requeued.Length > 0)
        {
            await connection.ExecuteAsync(PostgresConnections.Command(StorageSql.Requeue,
                new { collectionId = collection.Id, assetIds = requeued }, transaction, cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return requeued;
    }

    public Task MarkFailedAsync(Collection collection, IReadOnlyList<(long AssetId, string Error)> failures, CancellationToken cancellationToken = default) =>
        failures.Count == 0 ? Task.CompletedTask : connections.ExecuteAsync(StorageSql.MarkFailed, new
        {
            collectionId = collection.Id,
            assetIds = failures.Select(f => f.AssetId).ToArray(),
            errors = failures.Select(f => PostgresConnections.StorableText(f.Error.Length > MaxErrorLength ? f.Error[..MaxErrorLength] : f.Error)).ToArray(),
        }, cancellationToken);

    public Task<int> MarkRemovedAsync(Collection collection, IEnumerable<string> paths, CancellationToken cancellationToken = default) =>
        RemoveAsync(collection, StorageSql.MarkRemoved, new { collectionId = collection.Id, pathBytes = Encode(paths) }, cancellationToken);

    public Task<int> PruneAsync(Collection collection, IReadOnlyList<string>? prefixes, IEnumerable<string> seenPaths, CancellationToken cancellationToken = default) =>
        prefixes is null
            ? RemoveAsync(collection, StorageSql.PruneUnseen, new { collectionId = collection.Id, pathBytes = Encode(seenPaths) }, cancellationToken)
            : RemoveAsync(collection, StorageSql.PruneUnseenUnder, new { collectionId = collection.Id, prefixes = Encode(prefixes), pathBytes = Encode(seenPaths) }, cancellationToken);

    public Task<IReadOnlyList<string>> GetClaimHoldersAsync(Collection collection, CancellationToken cancellationToken = default) =>
        connections.QueryAsync<string>(StorageSql.ClaimHolders, new { collectionId = collection.Id }, cancellationToken);

    public Task<int> ReleaseClaimsAsync(Collection collection, IReadOnlyList<string> workers, CancellationToken cancellationToken = default) =>
        connections.ExecuteAsync(StorageSql.ReleaseClaims, new { collectionId = collection.Id, workers = workers.ToArray() }, cancellationToken);

    public async Task<bool> TryReleaseClaimsAsync(Collection collection, IReadOnlyList<string> workers)
    {
        try
        {
            await ReleaseClaimsAsync(collection, workers, CancellationToken.None);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // The database itself failed: its first error is the one worth reporting. Left claims expire after the lease.
            return false;
        }
    }

    /// <summary>Runs a statement that marks paths removed (returning their contents), then deletes what became unreferenced.</summary>
    private async Task<int> RemoveAsync(Collection collection, string sql, object args, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var released = await ExclusiveQueryAsync<byte[]?>(connection, transaction, collection, sql, args, cancellationToken);
        await DeleteOrphansAsync(connection, transaction, collection, released, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return released.Count;
    }

    /// <summary>Takes the collection's exclusive embeddings lock (first, before any row lock: see StorageSql), then queries.</summary>
    private static async Task<List<T>> ExclusiveQueryAsync<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, Collection collection, string sql, object args, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(PostgresConnections.Command(StorageSql.EmbeddingsExclusive, new { collectionId = collection.Id }, transaction, cancellationToken));
        return (await connection.QueryAsync<T>(PostgresConnections.Command(sql, args, transaction, cancellationToken))).ToList();
    }

    private static async Task DeleteOrphansAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Collection collection, IEnumerable<byte[]?> contents, CancellationToken cancellationToken)
    {
        var hashes = contents.OfType<byte[]>().DistinctBy(Convert.ToHexString).ToArray();
        if (hashes.Length > 0)
        {
            await connection.ExecuteAsync(PostgresConnections.Command(StorageSql.DeleteOrphansAmong,
                new { collectionId = collection.Id, hashes }, transaction, cancellationToken, timeoutSeconds: 0));
        }
    }

    private static byte[][] Encode(IEnumerable<string> paths) => paths.Select(FileNames.Encode).ToArray();

    private static (List<T> Kept, List<T> Others) Split<T>(IEnumerable<T> items, Func<T, bool> keep)
    {
        var (kept, rest) = (new List<T>(), new List<T>());
        foreach (var item in items)
        {
            (keep(item) ? kept : rest).Add(item);
        }

        return (kept, rest);
    }

    private static object AssetUpdate(Collection collection, AssetResult r) => new
    {
        CollectionId = collection.Id,
        r.AssetId,
        r.ContentHash,
        r.MediaType,
        r.Width,
        r.Height,
        // timestamp without time zone: Npgsql only writes DateTime of an unspecified (or local) kind there.
        ExifTakenAt = r.ExifTakenAt is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Unspecified) : (DateTime?)null,
        r.CameraMake,
        r.CameraModel,
        r.GpsLat,
        r.GpsLon,
        r.Orientation,
    };

    /// <summary>A queue row as read: the path by its bytes, turned back into the lossless string the rest of the code uses.</summary>
    private sealed record WorkRow(long AssetId, byte[] PathBytes, long Bytes)
    {
        public WorkItem ToWorkItem() => new(AssetId, FileNames.Decode(PathBytes), Bytes);
    }
}
