namespace MultiModalSearch.FileSystem;

/// <summary>One name in a directory, as the kernel lists it (decoded losslessly: see <see cref="FileNames"/>).</summary>
/// <param name="Kind">From the listing itself when the file system says (most do); <see cref="FileKind.Unknown"/> otherwise.</param>
public sealed record DirectoryEntry(string Name, FileKind Kind);
