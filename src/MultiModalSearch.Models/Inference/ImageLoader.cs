namespace MultiModalSearch.Models.Inference;

/// <summary>Decodes and preprocesses one input into CHW normalised float32 (3 x S x S), throwing on unreadable input.</summary>
public delegate void ImageLoader<in TInput>(TInput input, Span<float> destination);
