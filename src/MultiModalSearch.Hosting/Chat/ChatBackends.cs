using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;

namespace MultiModalSearch.Hosting.Chat;

/// <summary>The two generator backends behind <see cref="IChatClient"/>: an OpenAI-compatible server, and LLaVA in this process.</summary>
public static class ChatBackends
{
    /// <summary>
    /// A client for an OpenAI-compatible chat-completions server. <paramref name="endpoint"/> is the base URL the
    /// server documents, usually ending in <c>/v1</c> (requests go to <c>{endpoint}/chat/completions</c>).
    /// Without a key no Authorization header is sent.
    /// </summary>
    public static IChatClient OpenAiCompatible(Uri endpoint, string model, string? apiKey, TimeSpan? timeout = null)
    {
        var options = new OpenAIClientOptions { Endpoint = endpoint, NetworkTimeout = timeout ?? TimeSpan.FromMinutes(10) };
        if (apiKey is null)
        {
            options.AddPolicy(new NoAuthorizationPolicy(), PipelinePosition.BeforeTransport);
        }

        return new OpenAIClient(new ApiKeyCredential(apiKey ?? "none"), options).GetChatClient(model).AsIChatClient();
    }
}
