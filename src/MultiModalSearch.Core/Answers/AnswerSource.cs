using MultiModalSearch.Abstractions.DocumentRetrieval;

namespace MultiModalSearch.Core.Answers;

/// <summary>
/// One numbered source given to the model: the answer cites it as <c>[N]</c>. A figure is sent as its crop
/// (<see cref="Image"/>, for a vision model) or as its caption text (for a text-only model, or when its crop is missing).
/// </summary>
/// <param name="N">1-based number, in the order of the retrieval ranking.</param>
/// <param name="Text">What the model reads for this source (the passage or caption, possibly shortened to fit).</param>
/// <param name="Image">The figure's WebP crop when it is sent as an image; null otherwise.</param>
public sealed record AnswerSource(int N, DocumentHit Hit, string Text, byte[]? Image)
{
    public bool IsFigure => Hit.Kind == DocumentHitKind.Figure;
}
