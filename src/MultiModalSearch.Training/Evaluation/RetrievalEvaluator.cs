using MultiModalSearch.Models.Clip;
using MultiModalSearch.Training.Data;
using MultiModalSearch.Training.Inputs;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Training.Evaluation;

/// <summary>
/// The zero-shot retrieval protocol of the CLIP paper and open_clip: embed every image and every caption (L2-normalised),
/// then text-to-image ranks each caption's own image among all images, and image-to-text takes, for each image,
/// the best rank among its captions. A rank is 1 + the number of candidates scoring strictly higher, so exact ties
/// (which only untrained models produce) are resolved in the model's favour.
/// </summary>
public sealed class RetrievalEvaluator(ClipBatchBuilder batches, int batchSize = 64)
{
    public RetrievalResult Evaluate(ClipModel model, IReadOnlyList<CaptionedImage> items, CancellationToken cancellationToken = default)
    {
        var captions = items.SelectMany(i => i.Captions).ToList();
        var owners = items.SelectMany((item, index) => item.Captions.Select(_ => index)).ToArray();
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var images = EmbedImages(model, items.Select(i => i.ImagePath).ToList(), cancellationToken);
            var texts = EmbedTexts(model, captions, cancellationToken);
            return Score(images, texts, owners);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>
    /// Figures from normalised embeddings: <paramref name="images"/> [I, d], <paramref name="texts"/> [T, d], and
    /// <paramref name="textOwners"/>[t] = index of the image caption t describes.
    /// </summary>
    public static RetrievalResult Score(Tensor images, Tensor texts, IReadOnlyList<int> textOwners)
    {
        using var scope = torch.NewDisposeScope();
        // [T, I] cosine similarities, on the CPU in float32 so ranks do not depend on the compute precision.
        var similarity = texts.to(ScalarType.Float32).cpu().matmul(images.to(ScalarType.Float32).cpu().t()).contiguous();
        var scores = similarity.data<float>().ToArray();
        var imageCount = (int)images.shape[0];
        var textRanks = new int[textOwners.Count];
        var bestImageRanks = Enumerable.Repeat(int.MaxValue, imageCount).ToArray();
        for (var t = 0; t < textOwners.Count; t++)
        {
            textRanks[t] = RankOf(scores.AsSpan(t * imageCount, imageCount), textOwners[t]);
        }

        var captionsOf = Enumerable.Range(0, textOwners.Count).ToLookup(t => textOwners[t]);
        for (var i = 0; i < imageCount; i++)
        {
            var column = Column(scores, i, imageCount, textOwners.Count);
            foreach (var t in captionsOf[i])
            {
                bestImageRanks[i] = Math.Min(bestImageRanks[i], RankOf(column, t));
            }
        }

        var imageRanks = bestImageRanks.Where(r => r != int.MaxValue).ToList();
        return new RetrievalResult(RecallAtK.FromRanks(textRanks), RecallAtK.FromRanks(imageRanks), imageCount, textOwners.Count);
    }

    /// <summary>1 + the number of candidates scoring strictly higher than the correct one.</summary>
    private static int RankOf(ReadOnlySpan<float> scores, int correct)
    {
        var target = scores[correct];
        var better = 0;
        foreach (var s in scores)
        {
            if (s > target)
            {
                better++;
            }
        }

        return better + 1;
    }

    private static float[] Column(float[] scores, int column, int columns, int rows)
    {
        var values = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            values[r] = scores[(r * columns) + column];
        }

        return values;
    }

    private Tensor EmbedImages(ClipModel model, List<string> paths, CancellationToken cancellationToken) =>
        EmbedInBatches(paths.Count, (start, count) =>
        {
            using var pixels = batches.Images(paths.Skip(start).Take(count).ToList(), cancellationToken);
            return model.GetImageFeatures(ToModel(model, pixels));
        }, cancellationToken);

    private Tensor EmbedTexts(ClipModel model, List<string> captions, CancellationToken cancellationToken) =>
        EmbedInBatches(captions.Count, (start, count) =>
        {
            using var ids = batches.Texts(captions.Skip(start).Take(count).ToList());
            return model.GetTextFeatures(ids.to(DeviceOf(model)));
        }, cancellationToken);

    private Tensor EmbedInBatches(int count, Func<int, int, Tensor> embed, CancellationToken cancellationToken)
    {
        var parts = new List<Tensor>();
        for (var start = 0; start < count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var features = embed(start, Math.Min(batchSize, count - start));
            parts.Add(nn.functional.normalize(features.to(ScalarType.Float32), dim: -1).cpu());
        }

        return torch.cat(parts, dim: 0);
    }

    private static Tensor ToModel(ClipModel model, Tensor pixels) => pixels.to(model.LogitScale.dtype).to(DeviceOf(model));

    private static Device DeviceOf(ClipModel model) => model.LogitScale.device;
}
