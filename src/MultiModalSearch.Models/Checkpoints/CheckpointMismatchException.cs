namespace MultiModalSearch.Models.Checkpoints;

/// <summary>A checkpoint whose tensors do not match the model its config describes.</summary>
public sealed class CheckpointMismatchException(string message) : Exception(message);
