using Microsoft.Win32.SafeHandles;
using MultiModalSearch.Abstractions.Access;
using MultiModalSearch.Abstractions.Assets;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Core.Access;
using MultiModalSearch.Core.Retrieval;
using MultiModalSearch.FileSystem;

namespace MultiModalSearch.Core.Assets;

/// <summary>
/// Contents by id: details, thumbnail, the original file, similar contents, a caption. A content no collection the
/// caller may read holds does not exist for them. Files are found from the index, never from a path in the request.
/// </summary>
public sealed class AssetService(CollectionAccess access, IAssetStore assets, IThumbnailStore thumbnails, RetrievalService retrieval, UrlSigner signer)
{
    /// <param name="collection">Only this collection; null: every readable collection holding the content.</param>
    /// <exception cref="ContentNotFoundException">Not indexed anywhere the caller may read.</exception>
    public async Task<ContentView> DetailsAsync(byte[] id, Caller caller, string? collection = null, CancellationToken cancellationToken = default)
    {
        var holding = await HoldingAsync(id, caller, collection, cancellationToken);
        var ids = holding.Select(h => h.Collection.Id).ToList();
        var locations = await assets.LocationsAsync(id, ids, cancellationToken);
        if (locations.Count == 0)
        {
            // Indexed on the primary, but not yet on the read replica these reads go to: not there yet for this caller.
            throw new ContentNotFoundException(ContentId.Format(id));
        }

        var texts = await assets.TextsAsync(id, ids, cancellationToken);
        return new ContentView(id, holding, locations, texts);
    }

    /// <summary>The thumbnail, for a caller who may read the content or who presents the URL's signed token.</summary>
    /// <exception cref="ContentNotFoundException">Not readable by the caller, or no thumbnail was stored.</exception>
    public async Task<Thumbnail> ThumbnailAsync(byte[] id, Caller caller, string? token, CancellationToken cancellationToken = default)
    {
        var isPublic = await AllowedAsync(id, caller, token, cancellationToken);
        var webp = await thumbnails.GetThumbnailAsync(id, cancellationToken) ?? throw new ContentNotFoundException(ContentId.Format(id));
        return new Thumbnail(webp, isPublic);
    }

    /// <summary>The first indexed path that still holds the content as indexed (same size and modification time).</summary>
    /// <exception cref="ContentNotFoundException">Not readable, or no indexed path holds it any more.</exception>
    public async Task<OriginalFile> OriginalAsync(byte[] id, Caller caller, string? token, CancellationToken cancellationToken = default)
    {
        await AllowedAsync(id, caller, token, cancellationToken);
        // Any path will do: the bytes are the same content, which the caller may see.
        var holding = await access.AllHoldingAsync(id, cancellationToken);
        foreach (var location in await assets.LocationsAsync(id, holding.Select(h => h.Collection.Id).ToList(), cancellationToken))
        {
            if (OpenIfStillIndexed(location) is { } file)
            {
                return file;
            }
        }

        throw new ContentNotFoundException(ContentId.Format(id));
    }

    /// <summary>Contents similar to this one in a collection holding it (the named one, else the first readable).</summary>
    public async Task<RetrievalResult> SimilarAsync(byte[] id, Caller caller, string? collection, int k, CancellationToken cancellationToken = default)
    {
        var holding = await HoldingAsync(id, caller, collection, cancellationToken);
        return await retrieval.SearchAsync(new RetrievalRequest { Collection = holding[0].Collection, AssetId = id, K = k }, cancellationToken);
    }

    /// <summary>Sets the caption of every indexed path of the content in a collection the caller may write.</summary>
    public async Task SetCaptionAsync(byte[] id, Caller caller, string collection, string caption, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(caption) || caption.Length > SearchLimits.MaxTextLength)
        {
            throw new Abstractions.Errors.InvalidSettingException("caption", $"must be 1 to {SearchLimits.MaxTextLength} characters of text");
        }

        var target = await access.WritableAsync(collection, caller, cancellationToken);
        if (await assets.SetCaptionAsync(target.Id, id, caption, cancellationToken) == 0)
        {
            throw new ContentNotFoundException(ContentId.Format(id));
        }
    }

    /// <summary>Signs the id when only private collections could let the caller see it.</summary>
    public async Task<string?> TokenForAsync(byte[] id, CollectionVisibility visibility, CancellationToken cancellationToken = default) =>
        visibility == CollectionVisibility.Private ? await signer.SignAsync(id, cancellationToken) : null;

    private async Task<IReadOnlyList<(Collection Collection, CollectionVisibility Visibility)>> HoldingAsync(byte[] id, Caller caller, string? collection, CancellationToken cancellationToken)
    {
        var holding = (await access.HoldingAsync(id, caller, cancellationToken))
            .Where(h => collection is null || h.Collection.Name == collection).ToList();
        return holding.Count > 0 ? holding : throw new ContentNotFoundException(ContentId.Format(id));
    }

    /// <summary>Whether the caller may see the content; returns whether a public collection holds it.</summary>
    private async Task<bool> AllowedAsync(byte[] id, Caller caller, string? token, CancellationToken cancellationToken)
    {
        var readable = await access.HoldingAsync(id, caller, cancellationToken);
        if (readable.Count > 0)
        {
            return readable.Any(h => h.Visibility == CollectionVisibility.Public);
        }

        if (await signer.VerifyAsync(id, token, cancellationToken) && (await access.AllHoldingAsync(id, cancellationToken)).Count > 0)
        {
            return false;
        }

        throw new ContentNotFoundException(ContentId.Format(id));
    }

    /// <summary>
    /// The file at the location, if it still holds what was indexed there (same size and modification time). Opened
    /// by its stored bytes, so a name that is not UTF-8 is served too; checked on the open file, so a file swapped
    /// in between is caught.
    /// </summary>
    private static OriginalFile? OpenIfStillIndexed(ContentLocation location)
    {
        var path = FileNames.Decode(location.PathBytes);
        SafeFileHandle? handle = null;
        try
        {
            // A path that became a symlink since it was indexed no longer holds what was indexed there.
            if (UnixFiles.Status(path, followLinks: false).Kind == FileKind.SymbolicLink)
            {
                return null;
            }

            handle = UnixFiles.OpenRead(path);
            var file = UnixFiles.Status(handle);
            if (file.Size != location.Bytes || Math.Abs((file.Modified.UtcDateTime - location.Modified.ToUniversalTime()).TotalMilliseconds) >= 1)
            {
                handle.Dispose();
                return null;
            }

            return new OriginalFile(new FileStream(handle, FileAccess.Read, bufferSize: 0), file.Size, location.MediaType ?? "application/octet-stream", file.Modified);
        }
        catch (IOException)
        {
            handle?.Dispose();
            return null;
        }
    }
}
