using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Inference;

/// <summary>
/// Files in, embeddings out: parallel decode workers fill pooled pixel buffers, one encoder thread batches them into
/// a reused host tensor and runs the model. Every queue is bounded and the buffers are a fixed pool, so memory stays
/// flat however many inputs stream through; a failed file becomes a result with an error and never stops the run.
/// </summary>
public sealed class ImageEmbeddingPipeline<TInput>(IImageEncoder embedder, ImageLoader<TInput> loader, PipelineOptions options)
{
    private readonly PipelineOptions options = options.Resolve(embedder.Compute);

    public PipelineOptions Options => options;

    public async IAsyncEnumerable<EmbeddingResult<TInput>> RunAsync(IAsyncEnumerable<TInput> inputs, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        MallocTuning.EnsureApplied();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = linked.Token;
        var run = new PipelineRun(options, embedder.ImageSize * embedder.ImageSize * 3);
        var stages = new[]
        {
            Task.Run(() => ProduceAsync(inputs, run, token), token),
            Task.WhenAll(Enumerable.Range(0, options.Workers).Select(_ => Task.Run(() => DecodeAsync(run, token), token)))
                .ContinueWith(t => run.Decoded.Writer.TryComplete(t.Exception?.GetBaseException()), TaskScheduler.Default),
            Task.Factory.StartNew(() => Encode(run, token), token, TaskCreationOptions.LongRunning, TaskScheduler.Default),
        };
        var ordered = new Dictionary<long, EmbeddingResult<TInput>>();
        long next = 0;
        try
        {
            await foreach (var result in run.Results.Reader.ReadAllAsync(token))
            {
                if (!options.PreserveOrder)
                {
                    run.InFlight.Release();
                    yield return result;
                    continue;
                }

                ordered[result.Index] = result;
                while (ordered.Remove(next, out var due))
                {
                    next++;
                    run.InFlight.Release();
                    yield return due;
                }
            }
        }
        finally
        {
            await linked.CancelAsync();
            await Task.WhenAll(stages.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default)));
        }

        // Surface the first real failure (a stage that threw rather than being cancelled).
        var failure = stages.FirstOrDefault(s => s.IsFaulted)?.Exception?.GetBaseException();
        if (failure is not null && failure is not OperationCanceledException)
        {
            throw failure;
        }
    }

    public IAsyncEnumerable<EmbeddingResult<TInput>> RunAsync(IEnumerable<TInput> inputs, CancellationToken cancellationToken = default) =>
        RunAsync(inputs.ToAsyncEnumerable(), cancellationToken);

    private static async Task ProduceAsync(IAsyncEnumerable<TInput> inputs, PipelineRun run, CancellationToken token)
    {
        try
        {
            long index = 0;
            await foreach (var input in inputs.WithCancellation(token))
            {
                // Bounds everything between here and the consumer, the reorder buffer included.
                await run.InFlight.WaitAsync(token);
                await run.Work.Writer.WriteAsync((index++, input), token);
            }

            run.Work.Writer.TryComplete();
        }
        catch (Exception e)
        {
            run.Work.Writer.TryComplete(e);
            throw;
        }
    }

    private async Task DecodeAsync(PipelineRun run, CancellationToken token)
    {
        await foreach (var (index, input) in run.Work.Reader.ReadAllAsync(token))
        {
            var buffer = await run.FreeBuffers.Reader.ReadAsync(token);
            string? error = null;
            try
            {
                loader(input, buffer);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                error = e.Message;
            }

            if (error is not null)
            {
                await run.FreeBuffers.Writer.WriteAsync(buffer, token);
                await run.Decoded.Writer.WriteAsync(new DecodedImage(index, input, null, error), token);
            }
            else
            {
                await run.Decoded.Writer.WriteAsync(new DecodedImage(index, input, buffer, null), token);
            }
        }
    }

    private void Encode(PipelineRun run, CancellationToken token)
    {
        try
        {
            var size = embedder.ImageSize;
            using var host = NewHostBatch(size);
            var pending = new List<DecodedImage>(options.BatchSize);
            var output = new float[options.BatchSize * embedder.Dimension];
            while (FillBatch(run, pending, token))
            {
                EncodeBatch(run, host, pending, output, token);
                pending.Clear();
            }

            run.Results.Writer.TryComplete();
        }
        catch (Exception e)
        {
            run.Results.Writer.TryComplete(e);
            throw;
        }
    }

    private Tensor NewHostBatch(int size)
    {
        var host = torch.empty([options.BatchSize, 3, size, size], ScalarType.Float32);
        if (!embedder.Compute.IsCuda)
        {
            return host;
        }

        // Page-locked memory lets the host-to-device copy run asynchronously (non_blocking) at full bus speed.
        var pinned = host.pin_memory();
        host.Dispose();
        return pinned;
    }

    /// <summary>Waits for a full batch, or for whatever is left when the input ends; false when nothing is left.</summary>
    private bool FillBatch(PipelineRun run, List<DecodedImage> pending, CancellationToken token)
    {
        var reader = run.Decoded.Reader;
        while (pending.Count < options.BatchSize)
        {
            if (reader.TryRead(out var item))
            {
                pending.Add(item);
                continue;
            }

            if (!reader.WaitToReadAsync(token).AsTask().GetAwaiter().GetResult())
            {
                break;
            }
        }

        return pending.Count > 0;
    }

    private void EncodeBatch(PipelineRun run, Tensor host, List<DecodedImage> pending, float[] output, CancellationToken token)
    {
        var good = pending.Where(p => p.Pixels is not null).ToList();
        if (good.Count > 0)
        {
            var span = MemoryMarshal.Cast<byte, float>(host.bytes);
            for (var i = 0; i < good.Count; i++)
            {
                good[i].Pixels.AsSpan().CopyTo(span.Slice(i * run.PixelCount, run.PixelCount));
                run.FreeBuffers.Writer.TryWrite(good[i].Pixels!);
            }

            embedder.EmbedImages(host, good.Count, output);
        }

        var dim = embedder.Dimension;
        var row = 0;
        foreach (var item in pending)
        {
            var result = item.Pixels is null
                ? new EmbeddingResult<TInput>(item.Index, item.Input, null, item.Error)
                : new EmbeddingResult<TInput>(item.Index, item.Input, output.AsSpan(row++ * dim, dim).ToArray(), null);
            run.Results.Writer.WriteAsync(result, token).AsTask().GetAwaiter().GetResult();
        }
    }

    private sealed record DecodedImage(long Index, TInput Input, float[]? Pixels, string? Error);

    /// <summary>The queues and buffers of one run, sized so that memory is bounded by construction.</summary>
    private sealed class PipelineRun
    {
        public PipelineRun(PipelineOptions options, int pixelCount)
        {
            PixelCount = pixelCount;
            var queue = options.BatchSize * 2;
            var buffers = queue + options.Workers;
            Work = Channel.CreateBounded<(long, TInput)>(options.Workers * 2);
            Decoded = Channel.CreateBounded<DecodedImage>(queue);
            Results = Channel.CreateBounded<EmbeddingResult<TInput>>(options.BatchSize * 2);
            FreeBuffers = Channel.CreateBounded<float[]>(buffers);
            for (var i = 0; i < buffers; i++)
            {
                FreeBuffers.Writer.TryWrite(new float[pixelCount]);
            }

            InFlight = new SemaphoreSlim(buffers + options.BatchSize * 4);
        }

        public int PixelCount { get; }

        public Channel<(long Index, TInput Input)> Work { get; }

        public Channel<DecodedImage> Decoded { get; }

        public Channel<EmbeddingResult<TInput>> Results { get; }

        public Channel<float[]> FreeBuffers { get; }

        public SemaphoreSlim InFlight { get; }
    }
}
