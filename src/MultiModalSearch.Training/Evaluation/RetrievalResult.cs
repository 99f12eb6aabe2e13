using System.Text.Json;
using System.Text.Json.Serialization;

namespace MultiModalSearch.Training.Evaluation;

/// <summary>Zero-shot retrieval figures in both directions, as reported for Flickr30k/MS-COCO.</summary>
public sealed record RetrievalResult(
    [property: JsonPropertyName("text_to_image")] RecallAtK TextToImage,
    [property: JsonPropertyName("image_to_text")] RecallAtK ImageToText,
    [property: JsonPropertyName("images")] int Images,
    [property: JsonPropertyName("texts")] int Texts)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string ToJson(bool indented = true) => JsonSerializer.Serialize(this, indented ? Indented : JsonSerializerOptions.Default);

    public static RetrievalResult FromJson(string json) =>
        JsonSerializer.Deserialize<RetrievalResult>(json) ?? throw new InvalidDataException("empty retrieval result");

    /// <summary>Recall at <paramref name="k"/> of a model that ranks images at random.</summary>
    public double ChanceTextToImage(int k) => Images == 0 ? 0 : Math.Min(1.0, (double)k / Images);
}
