using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MultiModalSearch.FileSystem;

/// <summary>
/// Listing, stat, realpath and opening by the exact bytes of a path, for every name a Linux file system can hold.
/// Paths are strings from <see cref="FileNames.Decode"/> (plain strings for valid UTF-8 names). Failures are
/// <see cref="IOException"/> (with the system's message) or <see cref="FileNotFoundException"/>.
/// </summary>
public static unsafe class UnixFiles
{
    // struct statx (linux/stat.h), the same layout on every architecture.
    private const int StatxSize = 0x100;
    private const int ModeOffset = 0x1C;
    private const int InodeOffset = 0x20;
    private const int SizeOffset = 0x28;
    private const int ModifiedOffset = 0x70;
    private const int DeviceMajorOffset = 0x88;
    private const int DeviceMinorOffset = 0x8C;

    // struct dirent (glibc, 64-bit): d_ino, d_off, d_reclen, d_type, d_name.
    private const int DirentTypeOffset = 18;
    private const int DirentNameOffset = 19;

    /// <summary>The entries of a directory, without "." and "..", in the order the kernel gives them.</summary>
    public static IReadOnlyList<DirectoryEntry> List(string directory)
    {
        var path = Libc.CString(directory);
        nint handle;
        fixed (byte* p = path)
        {
            handle = Libc.OpenDirectory(p);
        }

        if (handle == 0)
        {
            throw Failure(directory, Marshal.GetLastPInvokeError());
        }

        try
        {
            var entries = new List<DirectoryEntry>();
            while (true)
            {
                var entry = Libc.ReadDirectory(handle);
                if (entry == 0)
                {
                    var error = Marshal.GetLastPInvokeError();
                    return error == 0 ? entries : throw Failure(directory, error);
                }

                var name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)entry + DirentNameOffset);
                if (name.SequenceEqual("."u8) || name.SequenceEqual(".."u8))
                {
                    continue;
                }

                entries.Add(new DirectoryEntry(FileNames.Decode(name), KindOfDirentType(*((byte*)entry + DirentTypeOffset))));
            }
        }
        finally
        {
            Libc.CloseDirectory(handle);
        }
    }

    /// <summary>stat (following links) or lstat (<paramref name="followLinks"/> false).</summary>
    /// <exception cref="FileNotFoundException">Nothing there (or a link to nothing).</exception>
    public static FileStatus Status(string path, bool followLinks = true)
    {
        var bytes = Libc.CString(path);
        Span<byte> buffer = stackalloc byte[StatxSize];
        int result;
        fixed (byte* p = bytes)
        fixed (byte* b = buffer)
        {
            result = Libc.Statx(Libc.AtFdCwd, p, followLinks ? 0 : Libc.AtSymlinkNoFollow, Libc.StatxBasicStats, b);
        }

        return result == 0 ? Read(buffer) : throw Failure(path, Marshal.GetLastPInvokeError());
    }

    /// <summary>The status of an open file.</summary>
    public static FileStatus Status(SafeFileHandle handle)
    {
        Span<byte> buffer = stackalloc byte[StatxSize];
        int result;
        fixed (byte* empty = ""u8)
        fixed (byte* b = buffer)
        {
            result = Libc.Statx((int)handle.DangerousGetHandle(), empty, Libc.AtEmptyPath, Libc.StatxBasicStats, b);
        }

        return result == 0 ? Read(buffer) : throw new IOException($"cannot stat an open file: {Libc.Describe(Marshal.GetLastPInvokeError())}");
    }

    /// <summary>realpath(3): absolute, every link resolved; null when it does not exist or links cycle.</summary>
    public static string? RealPath(string path)
    {
        var bytes = Libc.CString(path);
        nint resolved;
        fixed (byte* p = bytes)
        {
            resolved = Libc.RealPath(p, 0);
        }

        if (resolved == 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error is Errno.NoEntry or Errno.Loop or Errno.NotDirectory ? null : throw Failure(path, error);
        }

        try
        {
            return FileNames.Decode(MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)resolved));
        }
        finally
        {
            Libc.Free(resolved);
        }
    }

    /// <summary>
    /// Opens a regular file for reading. Anything else is refused with what it is (a FIFO would block the reader, a
    /// device never ends): the open itself does not block, and the kind is checked on the open file, so a name swapped
    /// for something else in between is caught too.
    /// </summary>
    /// <exception cref="FileNotFoundException">It does not exist.</exception>
    /// <exception cref="NotARegularFileException">It is a directory, FIFO, device or socket.</exception>
    /// <exception cref="IOException">It cannot be opened.</exception>
    public static SafeFileHandle OpenRead(string path)
    {
        var bytes = Libc.CString(path);
        int fd;
        fixed (byte* p = bytes)
        {
            fd = Libc.Open(p, Libc.ReadOnly | Libc.NonBlocking | Libc.CloseOnExec);
        }

        if (fd < 0)
        {
            throw Failure(path, Marshal.GetLastPInvokeError());
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var kind = Status(handle).Kind;
            return kind == FileKind.Regular ? handle : throw new NotARegularFileException(path, kind);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The whole file (a sidecar, a small document); refused over <paramref name="maxBytes"/>.</summary>
    public static byte[] ReadAllBytes(string path, long maxBytes)
    {
        using var handle = OpenRead(path);
        var length = RandomAccess.GetLength(handle);
        if (length > maxBytes)
        {
            throw new IOException($"{FileNames.Display(path)} has {length} bytes, over the limit of {maxBytes}");
        }

        var buffer = new byte[length];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(read), read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return read == buffer.Length ? buffer : buffer[..read];
    }

    /// <summary>"a directory", "a FIFO", ... for messages.</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => "of an unknown kind",
    };

    private static FileStatus Read(ReadOnlySpan<byte> statx)
    {
        var mode = BinaryPrimitives.ReadUInt16LittleEndian(statx[ModeOffset..]);
        var seconds = BinaryPrimitives.ReadInt64LittleEndian(statx[ModifiedOffset..]);
        var nanoseconds = BinaryPrimitives.ReadUInt32LittleEndian(statx[(ModifiedOffset + 8)..]);
        var modified = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanoseconds / 100);
        var device = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(statx[DeviceMajorOffset..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(statx[DeviceMinorOffset..]);
        return new FileStatus(KindOfMode(mode), (long)BinaryPrimitives.ReadUInt64LittleEndian(statx[SizeOffset..]), modified, device,
            BinaryPrimitives.ReadUInt64LittleEndian(statx[InodeOffset..]));
    }

    private static FileKind KindOfMode(ushort mode) => (mode & 0xF000) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0xA000 => FileKind.SymbolicLink,
        0x1000 => FileKind.Fifo,
        0x2000 => FileKind.CharacterDevice,
        0x6000 => FileKind.BlockDevice,
        0xC000 => FileKind.Socket,
        _ => FileKind.Unknown,
    };

    private static FileKind KindOfDirentType(byte type) => type switch
    {
        8 => FileKind.Regular,
        4 => FileKind.Directory,
        10 => FileKind.SymbolicLink,
        1 => FileKind.Fifo,
        2 => FileKind.CharacterDevice,
        6 => FileKind.BlockDevice,
        12 => FileKind.Socket,
        _ => FileKind.Unknown,
    };

    private static IOException Failure(string path, int error) => error switch
    {
        Errno.NoEntry => new FileNotFoundException($"{FileNames.Display(path)} does not exist", FileNames.Display(path)),
        Errno.Access or Errno.Permission => new UnauthorizedIOException($"{FileNames.Display(path)}: permission denied"),
        _ => new IOException($"{FileNames.Display(path)}: {Libc.Describe(error)}"),
    };

    private static class Errno
    {
        public const int Permission = 1;
        public const int NoEntry = 2;
        public const int Access = 13;
        public const int NotDirectory = 20;
        public const int Loop = 40;
    }
}
