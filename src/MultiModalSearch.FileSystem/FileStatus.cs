namespace MultiModalSearch.FileSystem;

/// <summary>
/// What stat says of a file: its kind, size and modification time, and the device and inode that identify it however
/// many paths or links reach it.
/// </summary>
public sealed record FileStatus(FileKind Kind, long Size, DateTimeOffset Modified, ulong Device, ulong Inode)
{
    public bool IsRegularFile => Kind == FileKind.Regular;

    public bool IsDirectory => Kind == FileKind.Directory;
}
