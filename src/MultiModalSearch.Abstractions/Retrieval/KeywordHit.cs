namespace MultiModalSearch.Abstractions.Retrieval;

/// <summary>A content found by its words: full-text rank over its text items and paths, and whether a file name equals the query.</summary>
public sealed record KeywordHit(byte[] ContentHash, double Rank, bool ExactFileName);
