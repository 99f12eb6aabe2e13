using System.Buffers;
using Microsoft.Win32.SafeHandles;
using MultiModalSearch.FileSystem;

namespace MultiModalSearch.Imaging;

/// <summary>
/// A file read whole into a buffer rented from the shared array pool. A new photo-sized array per file made the indexer
/// run a gen-2 collection every couple of dozen photos and fault fresh pages in for each one; pooled buffers are reused.
/// One owner at a time: whoever ends its use disposes it, which hands the buffer back.
/// </summary>
public sealed class FileContent : IDisposable
{
    private byte[]? buffer;

    private FileContent(byte[] buffer, int length)
    {
        this.buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => (buffer ?? throw new ObjectDisposedException(nameof(FileContent))).AsSpan(0, Length);

    /// <summary>
    /// Reads up to the size the file had when opened; a file changed since the crawl is redone by the next run, which
    /// sees its new size. <paramref name="path"/> may name a file whose name is not UTF-8 (see <see cref="FileNames"/>).
    /// </summary>
    /// <exception cref="ImageDecodeException">Missing, not a regular file, empty or over <paramref name="maxBytes"/>.</exception>
    /// <exception cref="IOException">The read failed.</exception>
    public static FileContent Read(string path, long maxBytes)
    {
        using var handle = Open(path);
        var length = RandomAccess.GetLength(handle);
        ImageLimits.CheckFileLength(path, length, maxBytes);
        if (length > Array.MaxLength)
        {
            throw ImageDecodeException.For(path, $"the file has {length} bytes, more than one buffer can hold ({Array.MaxLength})");
        }

        var rented = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            var read = ReadUpTo(handle, rented.AsSpan(0, (int)length));
            ImageLimits.CheckFileLength(path, read, maxBytes); // emptied since it was opened
            return new FileContent(rented, read);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(rented);
            throw;
        }
    }

    public void Dispose()
    {
        var rented = Interlocked.Exchange(ref buffer, null);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static SafeFileHandle Open(string path)
    {
        try
        {
            return UnixFiles.OpenRead(path);
        }
        catch (FileNotFoundException e)
        {
            throw ImageDecodeException.For(FileNames.Display(path), "the file does not exist", e);
        }
        catch (NotARegularFileException e)
        {
            throw ImageDecodeException.For(FileNames.Display(path), $"it is {UnixFiles.Describe(e.Kind)}, not an image file", e);
        }
        catch (IOException e) when (e is not UnauthorizedIOException)
        {
            throw ImageDecodeException.For(FileNames.Display(path), e.Message, e);
        }
    }

    private static int ReadUpTo(SafeFileHandle handle, Span<byte> destination)
    {
        var total = 0;
        while (total < destination.Length)
        {
            var read = RandomAccess.Read(handle, destination[total..], total);
            if (read == 0)
            {
                break; // the file shrank since it was opened
            }

            total += read;
        }

        return total;
    }
}
