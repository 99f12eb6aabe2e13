namespace MultiModalSearch.Models.Generation;

/// <summary>Why generation ended.</summary>
public enum GenerationFinishReason
{
    /// <summary>The maximum number of new tokens was reached.</summary>
    Length,

    /// <summary>The model produced an end-of-sequence token.</summary>
    EndOfSequence,

    /// <summary>The text reached one of the stop sequences.</summary>
    StopSequence,
}
