namespace MultiModalSearch.Imaging;

/// <summary>Whose CLIP preprocessing to reproduce; they differ in operation order and crop rounding, never for plain RGB input with an even crop margin.</summary>
public enum PreprocessingConvention
{
    /// <summary>
    /// OpenAI CLIP's torchvision pipeline: resize (palette images nearest-neighbour, alpha premultiplied), centre crop at
    /// round((size - crop) / 2), then convert to RGB.
    /// </summary>
    OpenAiClip,

    /// <summary>
    /// Hugging Face's CLIPImageProcessor (the reference of LLaVA checkpoints): convert to RGB first (alpha dropped,
    /// palette and CMYK expanded), then resize with the configured filter and centre crop at floor((size - crop) / 2).
    /// </summary>
    HuggingFace,
}
