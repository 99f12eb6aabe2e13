using System.Text.Json;

namespace MultiModalSearch.Api.Contracts;

/// <summary>
/// Stage two's options. <c>hybrid</c>: fuse keyword matches (default true for text). <c>mmr</c>: true or a lambda in
/// [0, 1] (default 0.5). <c>collapse</c>: true or a cosine threshold in (0, 1] (default 0.95). <c>model</c>: a reranker.
/// </summary>
public sealed record RerankDto(bool? Hybrid = null, JsonElement? Mmr = null, JsonElement? Collapse = null, string? Model = null);
