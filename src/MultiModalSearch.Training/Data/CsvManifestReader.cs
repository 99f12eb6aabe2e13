using System.Text;

namespace MultiModalSearch.Training.Data;

/// <summary>
/// Reads a CSV manifest with a header naming an <c>image</c> column and a <c>caption</c> or <c>captions</c> column
/// (<c>captions</c>: several captions separated by <c>|</c>). RFC 4180 quoting within a line; one record per line.
/// </summary>
internal static class CsvManifestReader
{
    public static IReadOnlyList<CaptionedImage> Read(string path)
    {
        var builder = new ManifestBuilder(path);
        using var lines = File.ReadLines(path).GetEnumerator();
        if (!lines.MoveNext())
        {
            throw new DatasetFormatException(path, 1, "empty file: expected a header such as image,caption");
        }

        var header = Split(lines.Current, path, 1).Select(h => h.Trim().ToLowerInvariant()).ToList();
        var imageColumn = header.IndexOf("image");
        var captionColumn = header.IndexOf("caption");
        var captionsColumn = header.IndexOf("captions");
        if (imageColumn < 0 || (captionColumn < 0 && captionsColumn < 0))
        {
            throw new DatasetFormatException(path, 1, $"the header must name an image column and a caption or captions column (got {string.Join(",", header)})");
        }

        var number = 1;
        while (lines.MoveNext())
        {
            number++;
            if (string.IsNullOrWhiteSpace(lines.Current))
            {
                continue;
            }

            var fields = Split(lines.Current, path, number);
            if (fields.Count != header.Count)
            {
                throw new DatasetFormatException(path, number, $"expected {header.Count} fields, found {fields.Count}");
            }

            var captions = new List<string?>();
            if (captionColumn >= 0)
            {
                captions.Add(fields[captionColumn]);
            }

            if (captionsColumn >= 0)
            {
                captions.AddRange(fields[captionsColumn].Split('|'));
            }

            builder.Add(number, fields[imageColumn], captions);
        }

        return builder.Build();
    }

    private static List<string> Split(string line, string path, int number)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                field.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            throw new DatasetFormatException(path, number, "unterminated quoted field");
        }

        fields.Add(field.ToString());
        return fields;
    }
}
