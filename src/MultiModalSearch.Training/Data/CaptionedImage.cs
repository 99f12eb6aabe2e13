namespace MultiModalSearch.Training.Data;

/// <summary>One image and every caption that describes it (a training or evaluation pair set).</summary>
/// <param name="ImagePath">Absolute path of the image file.</param>
/// <param name="Captions">At least one caption; training samples one per epoch, evaluation uses all.</param>
public sealed record CaptionedImage(string ImagePath, IReadOnlyList<string> Captions);
