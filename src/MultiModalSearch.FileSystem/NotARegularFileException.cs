namespace MultiModalSearch.FileSystem;

/// <summary>A path names a directory, FIFO, device or socket where a regular file was expected.</summary>
public sealed class NotARegularFileException(string path, FileKind kind)
    : IOException($"{FileNames.Display(path)} is {UnixFiles.Describe(kind)}, not a regular file")
{
    public FileKind Kind { get; } = kind;
}
