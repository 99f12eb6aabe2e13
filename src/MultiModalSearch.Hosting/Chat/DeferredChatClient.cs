using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace MultiModalSearch.Hosting.Chat;

/// <summary>
/// An <see cref="IChatClient"/> that creates the real one on first use: loading a LLaVA model (or downloading it) costs
/// seconds to minutes, which a host that never answers a question should not pay at start.
/// </summary>
public sealed class DeferredChatClient(string modelId, Func<CancellationToken, Task<IChatClient>> create) : IChatClient
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private IChatClient? inner;

    /// <summary>The model's name as configured (a folder, Hub id, or the server's model name).</summary>
    public string ModelId { get; } = modelId;

    /// <summary>Whether the model has been created.</summary>
    public bool IsLoaded => inner is not null;

    public async Task<IChatClient> GetInnerAsync(CancellationToken cancellationToken = default)
    {
        if (inner is { } ready)
        {
            return ready;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            return inner ??= await create(cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await (await GetInnerAsync(cancellationToken)).GetResponseAsync(messages, options, cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var client = await GetInnerAsync(cancellationToken);
        await foreach (var update in client.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : inner?.GetService(serviceType, serviceKey);
    }

    public void Dispose()
    {
        inner?.Dispose();
        gate.Dispose();
    }
}
