using System.Runtime.InteropServices;

namespace MultiModalSearch.Testing;

/// <summary>
/// Makes files and FIFOs whose names are exact bytes (names that are not UTF-8, which .NET cannot create), as archives
/// copied from old cameras, Windows shares and zip files hold them.
/// </summary>
public static unsafe partial class RawNames
{
    /// <summary>Writes <paramref name="content"/> to <paramref name="directory"/>/<paramref name="name"/> (bytes).</summary>
    public static void WriteFile(string directory, ReadOnlySpan<byte> name, ReadOnlySpan<byte> content)
    {
        var fd = OpenPath(directory, name, flags: 0x41 | 0x200, mode: 0x1A4); // O_WRONLY | O_CREAT | O_TRUNC, 0644
        try
        {
            fixed (byte* data = content)
            {
                Assert.Equal(content.Length, (int)Write(fd, data, content.Length));
            }
        }
        finally
        {
            Assert.Equal(0, Close(fd));
        }
    }

    /// <summary>Removes <paramref name="directory"/>/<paramref name="name"/> (bytes); .NET's File.Delete cannot name it, and says nothing.</summary>
    public static void Delete(string directory, ReadOnlySpan<byte> name)
    {
        var bytes = PathBytes(directory, name);
        fixed (byte* p = bytes)
        {
            Assert.True(Unlink(p) == 0, $"unlink failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>A named pipe: opening it for reading blocks until a writer comes, which no reader of images may do.</summary>
    public static void MakeFifo(string path)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            Assert.Equal(0, MkFifo(p, 0x1A4));
        }
    }

    private static byte[] PathBytes(string directory, ReadOnlySpan<byte> name) =>
        [.. System.Text.Encoding.UTF8.GetBytes(directory + "/"), .. name, 0];

    private static int OpenPath(string directory, ReadOnlySpan<byte> name, int flags, int mode)
    {
        var bytes = PathBytes(directory, name);
        fixed (byte* p = bytes)
        {
            var fd = Open(p, flags, mode);
            Assert.True(fd >= 0, $"open failed: errno {Marshal.GetLastPInvokeError()}");
            return fd;
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    private static partial int Open(byte* path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, byte* data, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "unlink", SetLastError = true)]
    private static partial int Unlink(byte* path);

    [LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static partial int MkFifo(byte* path, int mode);
}
