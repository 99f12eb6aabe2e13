using MultiModalSearch.Imaging;

namespace MultiModalSearch.Cli;

/// <summary>Reads an image named on the command line, refusing what is not a regular file with a message that says so.</summary>
internal static class QueryImage
{
    public static byte[] Read(string path)
    {
        if (Directory.Exists(path))
        {
            throw new CliUsageException($"--image {path} is a folder, not an image file");
        }

        try
        {
            using var content = FileContent.Read(path, ImageDecodeOptions.Default.MaxFileBytes);
            return content.Span.ToArray();
        }
        catch (ImageDecodeException e)
        {
            throw new CliUsageException($"--image: {e.Message}");
        }
    }
}
