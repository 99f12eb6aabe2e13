using MultiModalSearch.Abstractions.Assets;
using MultiModalSearch.Imaging;

namespace MultiModalSearch.Core.Inspection;

/// <summary>
/// Per-asset facts for the indexer: header, camera metadata, embedded and sidecar texts, file
/// name words and a WebP thumbnail. Works on bytes already in memory because the indexer reads
/// each file once (to hash it) and decodes from the same buffer.
/// </summary>
public static class AssetInspector
{
    /// <summary>Reads the header and metadata; never decodes pixels.</summary>
    /// <param name="path">The file's path, for error messages.</param>
    /// <exception cref="ImageDecodeException">The image header is unreadable. Bad metadata is ignored, never thrown.</exception>
    public static AssetDetails Inspect(ReadOnlySpan<byte> data, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var meta = EmbeddedMetadata.Read(data);
        return Details(meta, meta.Header ?? FromVips(ImageInfo.Read(data, path)));
    }

    private static HeaderFacts FromVips(ImageInfo info) => new(info.MediaType, info.Width, info.Height, (short)info.Orientation);

    private static AssetDetails Details(EmbeddedMetadata meta, HeaderFacts header)
    {
        return new AssetDetails(
            header.MediaType,
            header.UprightWidth,
            header.UprightHeight,
            header.Orientation,
            meta.TakenAt,
            meta.CameraMake,
            meta.CameraModel,
            meta.Position?.Latitude,
            meta.Position?.Longitude,
            meta.Texts);
    }

    /// <summary>
    /// Captions from sidecar files next to <paramref name="path"/> (.txt, .json, .xmp; see
    /// <see cref="SidecarFiles"/>). Missing, unreadable, oversized or malformed sidecars are
    /// skipped; this never throws for file-system or content reasons.
    /// </summary>
    public static IReadOnlyList<AssetText> SidecarTexts(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return SidecarFiles.Read(path);
    }

    /// <summary>
    /// The file name (without extension) as words: separators '_' '-' '.' become spaces, camelCase
    /// and letter/digit runs are split. Camera names ("IMG 1234") are returned too; the caller decides.
    /// </summary>
    public static AssetText FileNameText(string path) => FileNameWords.For(path);
}
