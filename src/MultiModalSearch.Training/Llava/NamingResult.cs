using System.Text.Json;
using System.Text.Json.Serialization;

namespace MultiModalSearch.Training.Llava;

/// <summary>
/// How often greedy answers name the image: <see cref="Exact"/> when the answer is the image's first caption (its name),
/// <see cref="AnyCaption"/> when it is any of its captions (a short name or keyword counts). Answers are compared after
/// trimming white space, case-sensitively.
/// </summary>
public sealed record NamingResult(
    [property: JsonPropertyName("images")] int Images,
    [property: JsonPropertyName("exact")] int Exact,
    [property: JsonPropertyName("any_caption")] int AnyCaption,
    [property: JsonPropertyName("prompt")] string Prompt,
    [property: JsonPropertyName("examples")] IReadOnlyList<NamingExample> Examples)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [JsonPropertyName("exact_accuracy")]
    public double ExactAccuracy => Images == 0 ? 0 : (double)Exact / Images;

    [JsonPropertyName("any_caption_accuracy")]
    public double AnyCaptionAccuracy => Images == 0 ? 0 : (double)AnyCaption / Images;

    public string ToJson() => JsonSerializer.Serialize(this, Indented);

    public static NamingResult FromJson(string json) =>
        JsonSerializer.Deserialize<NamingResult>(json) ?? throw new InvalidDataException("empty naming result");
}
