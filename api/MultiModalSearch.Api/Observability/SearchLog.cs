using MultiModalSearch.Core.Retrieval;

namespace MultiModalSearch.Api.Observability;

/// <summary>The per-stage timings of a search, one structured line per request (within the request's id scope).</summary>
internal static partial class SearchLog
{
    public static void Write(ILogger logger, string collection, RetrievalDiagnostics diagnostics)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var stages = string.Join(' ', diagnostics.StageMilliseconds.Select(s => $"{s.Key}={s.Value:0.###}"));
            var totalMs = Math.Round(diagnostics.TotalMilliseconds, 3);
            LogSearch(logger, collection, diagnostics.Plan, diagnostics.EfSearch, diagnostics.VectorCandidates, diagnostics.KeywordCandidates, stages, totalMs);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "search {Collection} plan={Plan} ef={EfSearch} candidates={VectorCandidates}+{KeywordCandidates} stages: {Stages} total={TotalMs} ms")]
    private static partial void LogSearch(ILogger logger, string collection, string plan, int efSearch, int vectorCandidates, int keywordCandidates, string stages, double totalMs);
}
