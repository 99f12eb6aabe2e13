namespace MultiModalSearch.Models.Llava;

/// <summary>An encoded image (PNG, JPEG, WebP, ...) for a prompt; <see cref="Name"/> appears in error messages.</summary>
public sealed record LlavaImage(ReadOnlyMemory<byte> Bytes, string Name)
{
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    public static LlavaImage FromFile(string path) => File.Exists(path)
        ? new LlavaImage(File.ReadAllBytes(path), path)
        : throw new FileNotFoundException($"image not found: {path}", path);
}
