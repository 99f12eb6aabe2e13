using System.Text.Encodings.Web;
using System.Text.Json;

namespace MultiModalSearch.Cli;

/// <summary>JSON settings for everything the tool prints: readable (no \u0027 for quotes), still valid JSON.</summary>
internal static class JsonOutput
{
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonSerializerOptions SerializerOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
