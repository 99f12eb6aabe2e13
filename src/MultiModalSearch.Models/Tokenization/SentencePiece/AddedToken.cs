namespace MultiModalSearch.Models.Tokenization.SentencePiece;

/// <summary>
/// A token matched verbatim in the text before SentencePiece sees it (Hugging Face's AddedToken), such as LLaVA's
/// <c>&lt;image&gt;</c> or the <c>&lt;s&gt;</c> control piece. <see cref="LStrip"/>/<see cref="RStrip"/> swallow the
/// whitespace on that side; special tokens are dropped when decoding with skipSpecialTokens.
/// </summary>
public sealed record AddedToken(string Content, int Id, bool Special = true, bool LStrip = false, bool RStrip = false);
