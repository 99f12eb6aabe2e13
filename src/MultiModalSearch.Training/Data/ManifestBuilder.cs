namespace MultiModalSearch.Training.Data;

/// <summary>Collects manifest rows, merging rows that name the same image, and checks that each image exists.</summary>
internal sealed class ManifestBuilder(string manifestPath)
{
    private readonly string root = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
    private readonly Dictionary<string, List<string>> captionsByImage = new(StringComparer.Ordinal);
    private readonly List<string> order = [];

    public void Add(int line, string? image, IEnumerable<string?> captions)
    {
        if (string.IsNullOrWhiteSpace(image))
        {
            throw new DatasetFormatException(manifestPath, line, "missing \"image\"");
        }

        var cleaned = captions.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c!.Trim()).ToList();
        if (cleaned.Count == 0)
        {
            throw new DatasetFormatException(manifestPath, line, $"no caption for {image} (give \"caption\" or a non-empty \"captions\" list)");
        }

        var full = Path.GetFullPath(Path.Combine(root, image));
        if (!captionsByImage.TryGetValue(full, out var list))
        {
            // Checked once per image so large manifests do not stat the same file for every caption.
            if (!File.Exists(full))
            {
                throw new DatasetFormatException(manifestPath, line, $"image not found: {image} (paths are relative to the manifest's folder)");
            }

            captionsByImage[full] = list = [];
            order.Add(full);
        }

        list.AddRange(cleaned.Where(c => !list.Contains(c)));
    }

    public IReadOnlyList<CaptionedImage> Build() => order.Select(p => new CaptionedImage(p, captionsByImage[p])).ToList();
}
