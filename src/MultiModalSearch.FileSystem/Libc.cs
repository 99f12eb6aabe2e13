using System.Runtime.InteropServices;

namespace MultiModalSearch.FileSystem;

/// <summary>
/// The libc calls .NET has no byte-path form of. Every path goes in as the exact bytes of the name (NUL-terminated),
/// which is the whole point: .NET's own file APIs encode strings to UTF-8 and cannot name a file whose name is not.
/// </summary>
internal static unsafe partial class Libc
{
    public const int ReadOnly = 0;
    public const int NonBlocking = 0x800;
    public const int CloseOnExec = 0x80000;
    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtEmptyPath = 0x1000;
    public const uint StatxBasicStats = 0x7ff;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    public static partial int Open(byte* path, int flags);

    [LibraryImport("libc", EntryPoint = "opendir", SetLastError = true)]
    public static partial nint OpenDirectory(byte* path);

    [LibraryImport("libc", EntryPoint = "readdir", SetLastError = true)]
    public static partial nint ReadDirectory(nint directory);

    [LibraryImport("libc", EntryPoint = "closedir", SetLastError = true)]
    public static partial int CloseDirectory(nint directory);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    public static partial int Statx(int directoryFd, byte* path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true)]
    public static partial nint RealPath(byte* path, nint resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    public static partial void Free(nint pointer);

    [LibraryImport("libc", EntryPoint = "strerror")]
    public static partial nint StrError(int error);

    public static string Describe(int error) => Marshal.PtrToStringUTF8(StrError(error)) ?? $"errno {error}";

    /// <summary>The path's bytes with the terminating NUL C expects.</summary>
    public static byte[] CString(string path)
    {
        var bytes = FileNames.Encode(path);
        if (bytes.Contains((byte)0))
        {
            throw new ArgumentException($"a path cannot contain a NUL character: {FileNames.Display(path)}");
        }

        var terminated = new byte[bytes.Length + 1];
        bytes.CopyTo(terminated, 0);
        return terminated;
    }
}
