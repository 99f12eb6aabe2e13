using System.IO.MemoryMappedFiles;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Checkpoints;

/// <summary>
/// A memory-mapped safetensors file: 8-byte little-endian header length, a JSON header, then raw tensor data.
/// Tensors are copied straight from the mapping into their destination, so loading never holds two copies, and
/// <see cref="Release"/> lets the copied pages go, so the file does not stay resident next to the model either.
/// </summary>
public sealed unsafe class SafetensorsFile : IDisposable
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;
    private readonly MemoryMappedFile mapping;
    private readonly MemoryMappedViewAccessor view;
    private readonly byte* start;
    private readonly long dataStart;

    private SafetensorsFile(string path, MemoryMappedFile mapping, MemoryMappedViewAccessor view, byte* start,
        long dataStart, Dictionary<string, SafetensorsEntry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        this.mapping = mapping;
        this.view = view;
        this.start = start;
        this.dataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, SafetensorsEntry> Entries { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public static SafetensorsFile Open(string path)
    {
        // Through a stream, so that a symbolic link (the Hub cache's snapshots) reports its target's length.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var length = stream.Length;
        if (length < 8)
        {
            throw new InvalidDataException($"{path}: not a safetensors file ({length} bytes)");
        }

        var mapping = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        var view = mapping.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        pointer += view.PointerOffset;
        try
        {
            var headerLength = *(long*)pointer;
            if (headerLength <= 0 || headerLength > MaxHeaderBytes || 8 + headerLength > length)
            {
                throw new InvalidDataException($"{path}: not a safetensors file (header length {headerLength}, file length {length})");
            }

            var header = new ReadOnlySpan<byte>(pointer + 8, (int)headerLength);
            var (entries, metadata) = ParseHeader(path, header, length - 8 - headerLength);
            return new SafetensorsFile(path, mapping, view, pointer, 8 + headerLength, entries, metadata);
        }
        catch
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
            view.Dispose();
            mapping.Dispose();
            throw;
        }
    }

    /// <summary>The raw little-endian bytes of one tensor, valid until this file is disposed.</summary>
    public ReadOnlySpan<byte> GetBytes(SafetensorsEntry entry) =>
        new(start + dataStart + entry.Begin, checked((int)entry.ByteLength));

    /// <summary>
    /// Done with these bytes of <paramref name="entry"/> (all of them by default): their pages leave the resident set,
    /// so a loaded model does not also keep its checkpoint resident. Reading them again later still works.
    /// </summary>
    public void Release(SafetensorsEntry entry, long offset = 0, long length = -1)
    {
        if (length < 0)
        {
            length = entry.ByteLength - offset;
        }

        MappedPages.Release(start + dataStart + entry.Begin + offset, length);
    }

    /// <summary>A new CPU tensor with the stored dtype and shape.</summary>
    public Tensor ReadTensor(string name)
    {
        if (!Entries.TryGetValue(name, out var entry))
        {
            throw new KeyNotFoundException($"{Path}: no tensor named '{name}'");
        }

        var tensor = torch.empty(entry.Shape, SafetensorsDType.ToScalarType(entry.DType, Path));
        GetBytes(entry).CopyTo(tensor.bytes);
        return tensor;
    }

    public void Dispose()
    {
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        mapping.Dispose();
    }

    private static (Dictionary<string, SafetensorsEntry>, Dictionary<string, string>) ParseHeader(string path, ReadOnlySpan<byte> header, long dataLength)
    {
        using var document = JsonDocument.Parse(header.ToArray());
        var entries = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Name == "__metadata__")
            {
                foreach (var item in property.Value.EnumerateObject())
                {
                    metadata[item.Name] = item.Value.ToString();
                }

                continue;
            }

            var entry = ParseEntry(property);
            var expected = SafetensorsDType.ElementSize(entry.DType, path) * entry.Shape.Aggregate(1L, (a, b) => a * b);
            if (entry.Begin < 0 || entry.End > dataLength || entry.ByteLength != expected)
            {
                throw new InvalidDataException(
                    $"{path}: tensor '{entry.Name}' {entry.DType}{entry.ShapeText} has offsets [{entry.Begin}, {entry.End}] that do not fit its size {expected} or the data length {dataLength}");
            }

            entries[entry.Name] = entry;
        }

        return (entries, metadata);
    }

    private static SafetensorsEntry ParseEntry(JsonProperty property)
    {
        var value = property.Value;
        var shape = value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        var offsets = value.GetProperty("data_offsets");
        return new SafetensorsEntry(property.Name, value.GetProperty("dtype").GetString()!, shape, offsets[0].GetInt64(), offsets[1].GetInt64());
    }
}
