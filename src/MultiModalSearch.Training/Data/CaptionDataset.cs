namespace MultiModalSearch.Training.Data;

/// <summary>Reads image/caption pairs from a folder with sidecar captions, a JSONL manifest or a CSV manifest.</summary>
public static class CaptionDataset
{
    /// <summary>
    /// <paramref name="path"/>: a folder (<c>photo.jpg</c> + <c>photo.txt</c>, one caption per non-empty line),
    /// a <c>.jsonl</c> or a <c>.csv</c> manifest. Rows naming the same image are merged into one image with several captions.
    /// </summary>
    public static IReadOnlyList<CaptionedImage> Load(string path)
    {
        if (Directory.Exists(path))
        {
            return SidecarFolderReader.Read(path);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"training data not found: {path} (expected a folder, a .jsonl or a .csv manifest)", path);
        }

        var items = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".jsonl" or ".ndjson" => JsonlManifestReader.Read(path),
            ".csv" => CsvManifestReader.Read(path),
            var other => throw new DatasetFormatException($"{path}: unknown manifest type '{other}' (use .jsonl, .csv or a folder)"),
        };
        if (items.Count == 0)
        {
            throw new DatasetFormatException($"{path}: the manifest lists no images");
        }

        return items;
    }
}
