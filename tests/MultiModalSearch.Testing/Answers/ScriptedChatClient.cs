using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace MultiModalSearch.Testing.Answers;

/// <summary>
/// A generator that answers with a fixed text, streamed in small pieces (so citations arrive split across updates),
/// and records every conversation it was given.
/// </summary>
public sealed class ScriptedChatClient(string answer, int pieceLength = 3) : IChatClient
{
    public List<IReadOnlyList<ChatMessage>> Conversations { get; } = [];

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Conversations.Add(messages.ToList());
        for (var start = 0; start < answer.Length; start += pieceLength)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, answer.Substring(start, Math.Min(pieceLength, answer.Length - start)));
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
