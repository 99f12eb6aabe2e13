namespace MultiModalSearch.Core.Retrieval;

/// <summary>How results are ordered: by relevance, or the relevant ones by the date they were taken (newest first, undated last).</summary>
public enum ResultOrder
{
    Relevance,
    TakenAt,
}
