using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Checkpoints;

/// <summary>Writes tensors to a safetensors file (keys sorted, as the reference library does), via a temporary file and a rename.</summary>
public static class SafetensorsWriter
{
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var ordered = tensors.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        var header = new Dictionary<string, object>();
        if (metadata is { Count: > 0 })
        {
            header["__metadata__"] = metadata;
        }

        long offset = 0;
        foreach (var (name, tensor) in ordered)
        {
            var bytes = tensor.NumberOfElements * tensor.ElementSize;
            header[name] = new { dtype = SafetensorsDType.FromScalarType(tensor.dtype), shape = tensor.shape, data_offsets = new[] { offset, offset + bytes } };
            offset += bytes;
        }

        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        // The format asks for the data to start 8-byte aligned; pad the header with spaces.
        var padded = (json.Length + 7) / 8 * 8;
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            stream.Write(BitConverter.GetBytes((long)padded));
            stream.Write(json);
            stream.Write(Enumerable.Repeat((byte)' ', padded - json.Length).ToArray());
            foreach (var (_, tensor) in ordered)
            {
                using var cpu = tensor.detach().cpu().contiguous();
                stream.Write(cpu.bytes);
            }
        }

        File.Move(temporary, path, overwrite: true);
    }
}
