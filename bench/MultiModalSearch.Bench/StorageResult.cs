namespace MultiModalSearch.Bench;

/// <summary>One precision's figures in `bench storage`.</summary>
internal sealed record StorageResult(
    string VectorType, double CopyRowsPerSecond, double BuildSeconds, long IndexBytes, long TableBytes, double Recall, double QueryMilliseconds, bool IndexUsed);
