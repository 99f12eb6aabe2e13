namespace MultiModalSearch.Models.Tokenization.SentencePiece;

/// <summary>One vocabulary entry: its text (spaces written as U+2581), its merge score (higher merges first) and its role.</summary>
public sealed record SentencePiecePiece(string Piece, float Score, SentencePieceType Type);
