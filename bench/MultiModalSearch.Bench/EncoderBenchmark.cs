using System.Diagnostics;
using MultiModalSearch.Models.Clip;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Bench;

/// <summary>
/// Issue 4 (a) and (c): image embeddings/s from ready tensors and text embeddings/s, ours (fp32 and bf16) against
/// PyTorch eager on the same architecture with random weights, alternating in one run. Also the bf16 embeddings'
/// cosine to fp32's, which decides whether bf16 can be the CPU default.
/// </summary>
internal sealed class EncoderBenchmark(string repoRoot, string configPath, int batch, double seconds, int runs, string device)
{
    public void Run()
    {
        var config = ClipConfig.Load(configPath);
        var compute = ComputeOptions.Resolve(device, "fp32");
        var threads = Environment.ProcessorCount;
        torch.set_num_threads(threads);
        var withBf16 = compute.IsCuda || CpuFeatures.HasFastBFloat16;
        var half = compute.IsCuda ? ScalarType.Float16 : ScalarType.BFloat16;
        var halfName = compute.IsCuda ? "fp16" : "bf16";
        using var fp32 = NewEmbedder(config, compute);
        using var reduced = withBf16 ? NewEmbedder(config, compute with { DType = half }) : null;

        var images = new Measurement($"ours fp32 images (batch {batch})", "images/s");
        var imagesHalf = new Measurement($"ours {halfName} images (batch {batch})", "images/s");
        var imagesTorch = new Measurement($"PyTorch eager fp32 images (batch {batch})", "images/s");
        var texts = new Measurement($"ours fp32 texts (batch {batch}, 77 tokens)", "texts/s");
        var textsHalf = new Measurement($"ours {halfName} texts (batch {batch}, 77 tokens)", "texts/s");
        var textsTorch = new Measurement($"PyTorch eager fp32 texts (batch {batch}, 77 tokens)", "texts/s");
        using var pixels = torch.randn(batch, 3, config.Vision.ImageSize, config.Vision.ImageSize);
        using var ids = RandomIds(batch, config.Text.MaxPositionEmbeddings);
        var common = new[] { "--config", configPath, "--batch", batch.ToString(), "--seconds", seconds.ToString(), "--threads", threads.ToString(), "--device", compute.IsCuda ? "cuda" : "cpu" };
        for (var run = 0; run < runs; run++)
        {
            Console.Error.WriteLine($"run {run + 1}/{runs}");
            images.Add(Rate(batch, () => Images(fp32, pixels)));
            imagesTorch.Add(PythonBaseline.Run(repoRoot, ["tensor", .. common]).GetProperty("images_per_s").GetDouble());
            texts.Add(Rate(batch, () => Texts(fp32, ids)));
            textsTorch.Add(PythonBaseline.Run(repoRoot, ["text", .. common]).GetProperty("texts_per_s").GetDouble());
            if (reduced is not null)
            {
                imagesHalf.Add(Rate(batch, () => Images(reduced, pixels)));
                textsHalf.Add(Rate(batch, () => Texts(reduced, ids)));
            }
        }

        var notes = new List<string> { $"model {Path.GetFileName(configPath)}, random weights, {threads} threads, device {compute.DeviceName}" };
        if (reduced is not null)
        {
            notes.Add($"{halfName} cosine to fp32: images min {MinCosine(Images(fp32, pixels), Images(reduced, pixels), fp32.Dimension):F5}, " +
                      $"texts min {MinCosine(Texts(fp32, ids), Texts(reduced, ids), fp32.Dimension):F5}");
        }

        var rows = new List<(Measurement, Measurement?)> { (imagesTorch, null), (images, imagesTorch) };
        if (reduced is not null)
        {
            rows.Add((imagesHalf, imagesTorch));
        }

        rows.AddRange([(textsTorch, null), (texts, textsTorch)]);
        if (reduced is not null)
        {
            rows.Add((textsHalf, textsTorch));
        }

        BenchReport.Print("Encoder throughput", rows, notes);
    }

    private static ClipEmbedder NewEmbedder(ClipConfig config, ComputeOptions compute)
    {
        torch.manual_seed(20261123); // the same random weights in every copy
        var model = new ClipModel(config);
        model.to(compute.DType).to(compute.Device);
        model.eval();
        return new ClipEmbedder(model, compute);
    }

    private static Tensor RandomIds(int batch, int length)
    {
        var ids = torch.randint(1, 49405, [batch, length], ScalarType.Int64);
        ids[.., length - 1] = torch.tensor(49407L);
        return ids;
    }

    private static float[] Images(ClipEmbedder embedder, Tensor pixels)
    {
        var output = new float[pixels.shape[0] * embedder.Dimension];
        embedder.EmbedImages(pixels, (int)pixels.shape[0], output);
        return output;
    }

    private static float[] Texts(ClipEmbedder embedder, Tensor ids)
    {
        var output = new float[ids.shape[0] * embedder.Dimension];
        embedder.EmbedTokens(ids, output);
        return output;
    }

    private double Rate(int perCall, Action call)
    {
        call(); // warm-up: first call allocates and picks kernels
        var count = 0L;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            call();
            count += perCall;
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    private static double MinCosine(float[] a, float[] b, int dim)
    {
        var min = 1.0;
        for (var row = 0; row < a.Length / dim; row++)
        {
            double dot = 0, na = 0, nb = 0;
            for (var i = row * dim; i < (row + 1) * dim; i++)
            {
                dot += a[i] * b[i];
                na += a[i] * a[i];
                nb += b[i] * b[i];
            }

            min = Math.Min(min, dot / Math.Sqrt(na * nb));
        }

        return min;
    }
}
