using System.Text.Json.Serialization;

namespace MultiModalSearch.Training.Llava;

/// <summary>One image's expected name and the model's answer (the first few of an evaluation are kept as examples).</summary>
public sealed record NamingExample(
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("expected")] string Expected,
    [property: JsonPropertyName("answer")] string Answer);
