using MultiModalSearch.FileSystem;

namespace MultiModalSearch.Imaging;

/// <summary>
/// The size rules every reader of untrusted images applies before decoding: no empty or oversized file, no image whose
/// header claims more pixels than <see cref="ImageDecodeOptions.MaxPixels"/> (a decompression bomb).
/// </summary>
public static class ImageLimits
{
    /// <summary>The file is there, is a regular file (not a folder, FIFO or device) and its size is within the limits.</summary>
    public static void CheckFile(string path, long maxBytes)
    {
        FileStatus status;
        try
        {
            status = UnixFiles.Status(path);
        }
        catch (FileNotFoundException e)
        {
            throw ImageDecodeException.For(FileNames.Display(path), "the file does not exist", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw ImageDecodeException.For(FileNames.Display(path), e.Message, e);
        }

        if (!status.IsRegularFile)
        {
            throw ImageDecodeException.For(FileNames.Display(path), $"it is {UnixFiles.Describe(status.Kind)}, not an image file");
        }

        CheckFileLength(path, status.Size, maxBytes);
    }

    /// <summary>The size rules of <see cref="CheckFile"/>, for a length already known (an open handle's).</summary>
    public static void CheckFileLength(string path, long length, long maxBytes)
    {
        if (length == 0)
            throw ImageDecodeException.For(path, "the file is empty (0 bytes)");
        if (length > maxBytes)
            throw ImageDecodeException.For(path, $"the file has {length} bytes, over the limit of {maxBytes} (ImageDecodeOptions.MaxFileBytes)");
    }

    public static void CheckBuffer(int length, string source, long maxBytes)
    {
        if (length == 0)
            throw ImageDecodeException.For(source, "the data is empty (0 bytes)");
        if (length > maxBytes)
            throw ImageDecodeException.For(source, $"the data has {length} bytes, over the limit of {maxBytes} (ImageDecodeOptions.MaxFileBytes)");
    }

    public static void CheckPixels(long width, long height, ImageDecodeOptions options, string source)
    {
        if (width <= 0 || height <= 0)
            throw ImageDecodeException.For(source, $"the image claims an invalid size {width}x{height}");
        if (width * height > options.MaxPixels)
            throw ImageDecodeException.For(source,
                $"the image is {width}x{height} = {width * height} pixels to decode, over the limit of {options.MaxPixels} (ImageDecodeOptions.MaxPixels); refused before decoding");
    }
}
