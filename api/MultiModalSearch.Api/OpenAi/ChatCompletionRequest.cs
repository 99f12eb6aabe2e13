using Microsoft.Extensions.AI;

namespace MultiModalSearch.Api.OpenAi;

/// <summary>A parsed <c>POST /v1/chat/completions</c> body: the conversation and options in Microsoft.Extensions.AI's terms.</summary>
internal sealed record ChatCompletionRequest(string? Model, IReadOnlyList<ChatMessage> Messages, ChatOptions Options, bool Stream, bool IncludeUsage);
