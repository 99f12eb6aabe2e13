namespace MultiModalSearch.FileSystem;

/// <summary>What a directory entry is (the file type bits of its mode).</summary>
public enum FileKind
{
    Unknown,
    Regular,
    Directory,
    SymbolicLink,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
}
