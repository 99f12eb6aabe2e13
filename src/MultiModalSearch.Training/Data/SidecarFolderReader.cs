namespace MultiModalSearch.Training.Data;

/// <summary>Reads a folder of images with sidecar captions: <c>photo.jpg</c> + <c>photo.txt</c>, one caption per non-empty line.</summary>
internal static class SidecarFolderReader
{
    private static readonly HashSet<string> ImageExtensions =
        new([".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff"], StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<CaptionedImage> Read(string folder)
    {
        var images = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f)))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (images.Count == 0)
        {
            throw new DatasetFormatException($"{folder}: no images found (expected photo.jpg with a sidecar photo.txt)");
        }

        return images.Select(ReadOne).ToList();
    }

    private static CaptionedImage ReadOne(string image)
    {
        var sidecar = Path.ChangeExtension(image, ".txt");
        if (!File.Exists(sidecar))
        {
            throw new DatasetFormatException($"{image}: no caption file {Path.GetFileName(sidecar)} next to it");
        }

        var captions = File.ReadAllLines(sidecar).Select(l => l.Trim()).Where(l => l.Length > 0).Distinct().ToList();
        if (captions.Count == 0)
        {
            throw new DatasetFormatException($"{sidecar}: the caption file is empty");
        }

        return new CaptionedImage(Path.GetFullPath(image), captions);
    }
}
