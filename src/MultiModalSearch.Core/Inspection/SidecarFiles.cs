using System.Text;
using System.Text.Json;
using MultiModalSearch.Abstractions.Assets;
using MultiModalSearch.FileSystem;
using XmpCore;

namespace MultiModalSearch.Core.Inspection;

/// <summary>
/// Captions kept next to an image: "photo.txt"/"photo.jpg.txt", "photo.json"/"photo.jpg.json"
/// (also Google Takeout's newer "photo.jpg.supplemental-metadata.json"), "photo.xmp"/"photo.jpg.xmp".
/// Sidecars are user files of any quality: anything unreadable is skipped, never thrown.
/// </summary>
internal static class SidecarFiles
{
    /// <summary>A caption is a few lines; a bigger .txt/.json next to a photo is something else.</summary>
    public const int MaxTextBytes = 64 * 1024;

    /// <summary>XMP sidecars from Lightroom/darktable carry edit history and are legitimately larger.</summary>
    public const int MaxXmpBytes = 2 * 1024 * 1024;

    private static readonly string[] CaptionFields = ["caption", "description", "title"];

    public static IReadOnlyList<AssetText> Read(string imagePath)
    {
        var texts = new TextCollector();
        foreach (string candidate in Candidates(imagePath, ".txt"))
            texts.Add(TextItemKind.Caption, ReadText(candidate));
        foreach (string candidate in Candidates(imagePath, ".json").Append(imagePath + ".supplemental-metadata.json"))
            ReadJson(candidate, Path.GetFileName(imagePath), texts);
        foreach (string candidate in Candidates(imagePath, ".xmp"))
            ReadXmp(candidate, texts);
        return texts.Texts;
    }

    /// <summary>"dir/photo.ext" and "dir/photo.jpg.ext", in that order, without the image itself.</summary>
    private static IEnumerable<string> Candidates(string imagePath, string extension)
    {
        string replaced = Path.ChangeExtension(imagePath, extension);
        string appended = imagePath + extension;
        if (!string.Equals(replaced, imagePath, StringComparison.Ordinal))
            yield return replaced;
        if (!string.Equals(appended, replaced, StringComparison.Ordinal))
            yield return appended;
    }

    private static string? ReadText(string path)
    {
        byte[]? bytes = ReadSmallFile(path, MaxTextBytes);
        if (bytes is null || bytes.AsSpan().Contains((byte)0))
            return null;
        return MetadataText.Clean(DecodeUtf8(bytes));
    }

    private static void ReadJson(string path, string imageFileName, TextCollector texts)
    {
        byte[]? bytes = ReadSmallFile(path, MaxTextBytes);
        if (bytes is null)
            return;
        try
        {
            using var doc = JsonDocument.Parse(WithoutBom(bytes), new JsonDocumentOptions { MaxDepth = 16, AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
                AddJsonCaptions(doc.RootElement, imageFileName, texts);
        }
        catch (Exception)
        {
            // JsonException for bad JSON, ArgumentException for invalid UTF-8: skip the sidecar.
        }
    }

    private static void AddJsonCaptions(JsonElement root, string imageFileName, TextCollector texts)
    {
        foreach (string field in CaptionFields)
        {
            if (root.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String)
                texts.Add(TextItemKind.Caption, CleanJsonText(value.GetString(), imageFileName));
        }
        if (root.TryGetProperty("captions", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
                texts.Add(TextItemKind.Caption, CleanJsonText(CaptionOf(item), imageFileName));
        }
    }

    /// <summary>A caption list holds strings, or objects with a "text"/"caption" string (COCO-style).</summary>
    private static string? CaptionOf(JsonElement item)
    {
        if (item.ValueKind == JsonValueKind.String)
            return item.GetString();
        if (item.ValueKind != JsonValueKind.Object)
            return null;
        foreach (string field in (string[])["text", "caption"])
        {
            if (item.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String)
                return v.GetString();
        }
        return null;
    }

    // Google Takeout sets "title" to the file name; that is not a caption.
    private static string? CleanJsonText(string? text, string imageFileName)
    {
        string? clean = MetadataText.Clean(text);
        return clean is not null && string.Equals(clean, imageFileName, StringComparison.OrdinalIgnoreCase) ? null : clean;
    }

    private static void ReadXmp(string path, TextCollector texts)
    {
        byte[]? bytes = ReadSmallFile(path, MaxXmpBytes);
        if (bytes is null)
            return;
        try
        {
            var xmp = XmpMetaFactory.ParseFromBuffer(bytes);
            XmpTexts.AddDescriptionAndTitle(xmp, texts, TextItemKind.Description, TextItemKind.Description);
        }
        catch (Exception)
        {
            // XmpException, XmlException and friends: a broken sidecar is skipped.
        }
    }

    /// <summary>The file's bytes, or null when missing, unreadable, empty or over <paramref name="maxBytes"/>.</summary>
    private static byte[]? ReadSmallFile(string path, int maxBytes)
    {
        try
        {
            // By the name's bytes: the sidecar of a photo whose name is not UTF-8 has such a name too.
            var bytes = UnixFiles.ReadAllBytes(path, maxBytes);
            return bytes.Length == 0 ? null : bytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    // Encoding.UTF8.GetString keeps a BOM as U+FEFF (which Trim does not remove), and
    // JsonDocument.Parse rejects it; Windows editors write one.
    private static string DecodeUtf8(byte[] bytes) => Encoding.UTF8.GetString(WithoutBom(bytes).Span);

    private static ReadOnlyMemory<byte> WithoutBom(byte[] bytes) =>
        bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? bytes.AsMemory(3) : bytes;
}
