namespace MultiModalSearch.Bench;

/// <summary>How the pipeline child resolved its settings (the indexer's defaults), for the report's notes.</summary>
internal sealed record PipelineSettings(string DType, int BatchSize, int Workers);
