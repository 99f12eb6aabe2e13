namespace MultiModalSearch.Models.Llava;

/// <summary>An encoded image (PNG, JPEG, WebP, ...) for a prompt; <see cref="Name"/> appears in error messages.</summary>
public sealed record LlavaImage(ReadOnlyMemory<byte> Bytes, string Name)
{
    public static LlavaImage FromFile(string path) => new(File.ReadAllBytes(path), path);
}
