using System.Globalization;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Iptc;
using MetadataExtractor.Formats.Xmp;
using MultiModalSearch.Abstractions.Assets;
using MeDirectory = MetadataExtractor.Directory;

namespace MultiModalSearch.Core.Inspection;

/// <summary>
/// EXIF/IPTC/XMP facts read with MetadataExtractor. Metadata is optional and often malformed,
/// so every failure degrades to "absent" instead of failing the asset.
/// </summary>
internal sealed record EmbeddedMetadata(
    DateTime? TakenAt,
    string? CameraMake,
    string? CameraModel,
    GpsPosition? Position,
    IReadOnlyList<AssetText> Texts,
    HeaderFacts? Header = null)
{
    public static readonly EmbeddedMetadata Empty = new(null, null, null, null, []);

    private static readonly string[] DateFormats =
    [
        "yyyy:MM:dd HH:mm:ss", "yyyy:MM:dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss",
        "yyyy:MM:dd HH:mm", "yyyy-MM-dd HH:mm", "yyyy:MM:dd", "yyyy-MM-dd",
    ];

    public static unsafe EmbeddedMetadata Read(ReadOnlySpan<byte> data)
    {
        IReadOnlyList<MeDirectory> directories;
        try
        {
            // Read straight from the caller's buffer: the indexer already holds the whole file.
            fixed (byte* p = data)
            {
                using var stream = new UnmanagedMemoryStream(p, data.Length);
                directories = ImageMetadataReader.ReadMetadata(stream);
            }
        }
        catch (Exception)
        {
            // ImageProcessingException, IOException, and whatever a fuzzed segment provokes
            // inside the library (index/overflow exceptions): metadata is best effort.
            return Empty;
        }
        return FromDirectories(directories);
    }

    public static EmbeddedMetadata FromDirectories(IReadOnlyList<MeDirectory> directories)
    {
        var ifd0 = directories.OfType<ExifIfd0Directory>().FirstOrDefault();
        var subIfd = directories.OfType<ExifSubIfdDirectory>().FirstOrDefault();
        var gps = directories.OfType<GpsDirectory>().FirstOrDefault();
        var iptc = directories.OfType<IptcDirectory>().FirstOrDefault();
        var xmp = directories.OfType<XmpDirectory>().FirstOrDefault()?.XmpMeta;

        string? make = Guard(() => MetadataText.TrimToNull(ifd0?.GetString(ExifDirectoryBase.TagMake)));
        string? model = Guard(() => MetadataText.TrimToNull(ifd0?.GetString(ExifDirectoryBase.TagModel)));
        var texts = new TextCollector();
        Guard(() => AddExifTexts(ifd0, subIfd, texts, make, model));
        Guard(() => AddXmpTexts(xmp, texts));
        Guard(() => AddIptcTexts(iptc, texts, make, model));
        Guard(() => texts.Add(TextItemKind.Description, Keywords(iptc, xmp)));
        return new EmbeddedMetadata(
            Guard(() => ReadTakenAt(ifd0, subIfd)),
            make,
            model,
            gps is null ? null : Guard(() => GpsPosition.Read(gps)),
            texts.Texts,
            Guard(() => HeaderFacts.From(directories, ifd0)));
    }

    private static DateTime? ReadTakenAt(ExifIfd0Directory? ifd0, ExifSubIfdDirectory? subIfd) =>
        ParseDate(subIfd?.GetString(ExifDirectoryBase.TagDateTimeOriginal))
        ?? ParseDate(subIfd?.GetString(ExifDirectoryBase.TagDateTimeDigitized))
        ?? ParseDate(ifd0?.GetString(ExifDirectoryBase.TagDateTime));

    /// <summary>
    /// Parsed here, not with the library's TryGetDateTime, to keep the camera's wall clock as
    /// DateTimeKind.Unspecified and to treat "0000:00:00 00:00:00" (unset clock) as absent.
    /// </summary>
    internal static DateTime? ParseDate(string? raw)
    {
        string? text = MetadataText.TrimToNull(raw);
        if (text is null)
            return null;
        return DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var value)
            ? DateTime.SpecifyKind(value, DateTimeKind.Unspecified)
            : null;
    }

    // Descriptions and comments are "description"; fields whose name says caption/title/headline
    // are what a person wrote as the photo's caption.
    private static void AddExifTexts(ExifIfd0Directory? ifd0, ExifSubIfdDirectory? subIfd, TextCollector texts, string? make, string? model)
    {
        if (ifd0 is not null)
            texts.Add(TextItemKind.Description, MetadataText.Clean(ifd0.GetString(ExifDirectoryBase.TagImageDescription), make, model));
        if (subIfd is not null)
            texts.Add(TextItemKind.Description, MetadataText.Clean(ExifUserComment.Read(subIfd, ExifDirectoryBase.TagUserComment), make, model));
    }

    private static void AddXmpTexts(XmpCore.IXmpMeta? xmp, TextCollector texts)
    {
        if (xmp is not null)
            XmpTexts.AddDescriptionAndTitle(xmp, texts, TextItemKind.Description, TextItemKind.Caption);
    }

    private static void AddIptcTexts(IptcDirectory? iptc, TextCollector texts, string? make, string? model)
    {
        if (iptc is null)
            return;
        texts.Add(TextItemKind.Caption, MetadataText.Clean(iptc.GetString(IptcDirectory.TagCaption), make, model));
        texts.Add(TextItemKind.Caption, MetadataText.Clean(iptc.GetString(IptcDirectory.TagHeadline), make, model));
    }

    /// <summary>IPTC Keywords and XMP dc:subject merged (case-insensitive), joined with ", ".</summary>
    private static string? Keywords(IptcDirectory? iptc, XmpCore.IXmpMeta? xmp)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var keywords = new List<string>();
        IEnumerable<string> iptcKeywords = iptc?.GetStringArray(IptcDirectory.TagKeywords) ?? [];
        IEnumerable<string> xmpKeywords = xmp is null ? [] : XmpTexts.Subjects(xmp);
        foreach (string raw in iptcKeywords.Concat(xmpKeywords))
        {
            string? k = MetadataText.TrimToNull(raw);
            if (k is not null && seen.Add(k))
                keywords.Add(k);
        }
        return keywords.Count == 0 ? null : MetadataText.Clean(string.Join(", ", keywords));
    }

    // One malformed field must not cost the others.
    private static T? Guard<T>(Func<T?> read)
    {
        try
        {
            return read();
        }
        catch (Exception)
        {
            return default;
        }
    }

    private static void Guard(Action read)
    {
        try
        {
            read();
        }
        catch (Exception)
        {
        }
    }
}
