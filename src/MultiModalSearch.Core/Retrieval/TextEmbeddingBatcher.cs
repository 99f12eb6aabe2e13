using System.Threading.Channels;

namespace MultiModalSearch.Core.Retrieval;

/// <summary>
/// Embeds texts of concurrent requests together: one worker takes what is queued and embeds it in one forward pass,
/// so 32 users waiting cost one batched pass rather than 32 (on a CPU a single short text is bound by reading the
/// weights, which a batch reads once). Idle, a text goes at once; only while the encoder is busy does the worker wait
/// up to the window for more, so a lone query pays no delay. Identical texts in a batch are embedded once.
/// </summary>
internal sealed class TextEmbeddingBatcher : IAsyncDisposable
{
    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<IReadOnlyList<string>, float[][]> embed;
    private readonly TimeSpan window;
    private readonly int maxBatch;
    private readonly Task worker;

    public TextEmbeddingBatcher(Func<IReadOnlyList<string>, float[][]> embed, TimeSpan window, int maxBatch)
    {
        this.embed = embed;
        this.window = window;
        this.maxBatch = Math.Max(1, maxBatch);
        worker = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>How many forward passes ran and how many texts they embedded (for diagnostics and tests).</summary>
    public (long Passes, long Texts) Counts => (Interlocked.Read(ref passes), Interlocked.Read(ref texts));

    private long passes;
    private long texts;

    public Task<float[]> EmbedAsync(string text, CancellationToken cancellationToken)
    {
        var pending = new Pending(text, new TaskCompletionSource<float[]>(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!queue.Writer.TryWrite(pending), this);

        return pending.Result.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await worker;
    }

    private async Task RunAsync()
    {
        var reader = queue.Reader;
        var busy = false;
        var batch = new List<Pending>(maxBatch);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < maxBatch && reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            // Under load (the last pass had company) more requests are on their way: give them the window to join.
            if (busy && batch.Count < maxBatch && window > TimeSpan.Zero)
            {
                await GatherAsync(reader, batch);
            }

            busy = batch.Count > 1;
            Run(batch);
        }
    }

    private async Task GatherAsync(ChannelReader<Pending> reader, List<Pending> batch)
    {
        using var timeout = new CancellationTokenSource(window);
        try
        {
            while (batch.Count < maxBatch && await reader.WaitToReadAsync(timeout.Token))
            {
                while (batch.Count < maxBatch && reader.TryRead(out var next))
                {
                    batch.Add(next);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The window is over.
        }
    }

    private void Run(List<Pending> batch)
    {
        try
        {
            var distinct = batch.Select(p => p.Text).Distinct(StringComparer.Ordinal).ToList();
            var vectors = embed(distinct);
            var byText = new Dictionary<string, float[]>(StringComparer.Ordinal);
            for (var i = 0; i < distinct.Count; i++)
            {
                byText[distinct[i]] = vectors[i];
            }

            Interlocked.Increment(ref passes);
            Interlocked.Add(ref texts, distinct.Count);
            foreach (var pending in batch)
            {
                pending.Result.TrySetResult(byText[pending.Text]);
            }
        }
        catch (Exception e)
        {
            foreach (var pending in batch)
            {
                pending.Result.TrySetException(e);
            }
        }
    }

    private sealed record Pending(string Text, TaskCompletionSource<float[]> Result);
}
