namespace MultiModalSearch.Models.Generation;

/// <summary>
/// One step of a streamed generation: the token produced (null for the closing update) and the text that may now be
/// shown, possibly empty (a character split over tokens, text that may begin a stop sequence). The last update
/// carries the finish reason.
/// </summary>
public sealed record GenerationUpdate(int? TokenId, string Text, GenerationFinishReason? FinishReason = null);
