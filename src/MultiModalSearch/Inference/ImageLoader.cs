namespace MultiModalSearch.Inference;

/// <summary>Decodes and preprocesses one image into CHW normalised float32 (3 x S x S), throwing on unreadable input.</summary>
public delegate void ImageLoader(string path, Span<float> destination);
