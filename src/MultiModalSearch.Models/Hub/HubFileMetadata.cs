namespace MultiModalSearch.Models.Hub;

/// <summary>What a HEAD on a resolve URL says about one file.</summary>
/// <param name="CommitHash">The commit the revision pointed to (X-Repo-Commit).</param>
/// <param name="Etag">Normalised etag: the sha256 of the content for LFS files, the git blob id otherwise.</param>
/// <param name="Size">Content size in bytes when announced.</param>
/// <param name="Location">Where to GET the content: the CDN for LFS files, the resolve URL otherwise.</param>
internal sealed record HubFileMetadata(string CommitHash, string Etag, long? Size, Uri Location)
{
    /// <summary>LFS etags are a sha256 of the content, which lets the download be verified end to end.</summary>
    public bool IsSha256Etag => Etag.Length == 64 && Etag.All(char.IsAsciiHexDigitLower);
}
