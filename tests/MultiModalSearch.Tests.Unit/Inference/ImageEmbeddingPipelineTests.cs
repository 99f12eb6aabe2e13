using System.Runtime.InteropServices;
using MultiModalSearch.Models.Clip;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;
using MultiModalSearch.Testing;
using TorchSharp;
using Xunit.Abstractions;

namespace MultiModalSearch.Tests.Inference;

/// <summary>The batched pipeline against the one-at-a-time path, with a loader serving the fixture's reference pixels.</summary>
public sealed class ImageEmbeddingPipelineTests(ITestOutputHelper output) : IDisposable
{
    private readonly ClipEmbedder embedder = new(ClipModelLoader.Load(ClipTinyFixture.Directory), ComputeOptions.Cpu);
    private readonly float[][] pixels = LoadPixels();

    [Fact]
    public async Task BatchedResultsEqualOneAtATimeInInputOrderWithFailuresInPlace()
    {
        // 6 fixture images, shuffled and repeated, with unreadable inputs between them, over uneven batches.
        var inputs = Enumerable.Range(0, 23).Select(i => i % 5 == 3 ? $"bad-{i}" : $"img-{(i * 7) % 6}").ToList();
        var pipeline = new ImageEmbeddingPipeline<string>(embedder, Load, new PipelineOptions { BatchSize = 4, Workers = 3 });

        var results = await pipeline.RunAsync(inputs).ToListAsync();

        Assert.Equal(inputs, results.Select(r => r.Input));
        Assert.Equal(Enumerable.Range(0, inputs.Count).Select(i => (long)i), results.Select(r => r.Index));
        foreach (var result in results)
        {
            if (result.Input.StartsWith("bad", StringComparison.Ordinal))
            {
                Assert.Null(result.Embedding);
                Assert.Equal($"cannot read {result.Input}", result.Error);
                continue;
            }

            var single = EmbedOne(int.Parse(result.Input[4..]));
            var embedding = Assert.IsType<float[]>(result.Embedding);
            Assert.Equal(1.0, Math.Sqrt(embedding.Sum(v => (double)v * v)), 5);
            for (var d = 0; d < single.Length; d++)
            {
                Assert.Equal(single[d], embedding[d], 5);
            }
        }
    }

    [Fact]
    public async Task ProducerStaysBoundedAheadOfASlowConsumer()
    {
        var options = new PipelineOptions { BatchSize = 4, Workers = 2 };
        var pipeline = new ImageEmbeddingPipeline<string>(embedder, Load, options);
        long pulled = 0, consumed = 0, maxAhead = 0;
        IEnumerable<string> Inputs()
        {
            for (var i = 0; i < 400; i++)
            {
                Interlocked.Increment(ref pulled);
                yield return $"img-{i % 6}";
            }
        }

        await foreach (var result in pipeline.RunAsync(Inputs()))
        {
            Assert.True(result.Succeeded);
            consumed++;
            maxAhead = Math.Max(maxAhead, Interlocked.Read(ref pulled) - consumed);
            if (consumed % 50 == 0)
            {
                await Task.Delay(100); // a slow consumer: an unbounded pipeline would pull every input meanwhile
            }
        }

        Assert.Equal(400, consumed);
        // Pool (2 x batch + workers) plus 4 batches of results, plus the one the producer holds.
        Assert.InRange(maxAhead, 1, (options.BatchSize * 2) + options.Workers + (options.BatchSize * 4) + 1);
    }

    [Fact]
    public async Task AnEncoderFailureSurfacesInsteadOfHanging()
    {
        // A model in float32 told to run in float16: the forward pass itself throws, on the encoder thread.
        using var failing = new ClipEmbedder(ClipModelLoader.Load(ClipTinyFixture.Directory), new ComputeOptions(torch.CPU, torch.ScalarType.Float16));
        var pipeline = new ImageEmbeddingPipeline<string>(failing, (_, destination) => destination.Clear(), new PipelineOptions { BatchSize = 2, Workers = 1 });

        var run = pipeline.RunAsync(["a", "b", "c"]).ToListAsync().AsTask();
        var first = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60)));

        Assert.Same(run, first); // without the hand-off to the consumer the run waits for results forever
        var error = await Assert.ThrowsAnyAsync<Exception>(() => run);
        Assert.IsNotType<OperationCanceledException>(error);
        output.WriteLine(error.Message);
    }

    public void Dispose() => embedder.Dispose();

    private void Load(string path, Span<float> destination)
    {
        if (path.StartsWith("bad", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"cannot read {path}");
        }

        pixels[int.Parse(path[4..])].CopyTo(destination);
    }

    private float[] EmbedOne(int image)
    {
        using var host = torch.tensor(pixels[image], [1, 3, 224, 224]);
        var output = new float[embedder.Dimension];
        embedder.EmbedImages(host, 1, output);
        return output;
    }

    private static float[][] LoadPixels()
    {
        using var all = ClipTinyFixture.Expected("pixel_values");
        return Enumerable.Range(0, 6).Select(i =>
        {
            using var row = all[i].contiguous();
            return MemoryMarshal.Cast<byte, float>(row.bytes).ToArray();
        }).ToArray();
    }
}
