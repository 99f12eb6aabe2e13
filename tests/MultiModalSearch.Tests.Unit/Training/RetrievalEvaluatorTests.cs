using MultiModalSearch.Testing;
using MultiModalSearch.Training.Evaluation;
using TorchSharp;

namespace MultiModalSearch.Tests.Training;

public sealed class RetrievalEvaluatorTests
{
    [Fact]
    public void RanksEachCaptionsImageAndEachImagesBestCaption()
    {
        // Three images on the axes; texts 0,1 describe image 0, text 2 image 1, text 3 image 2.
        using var images = torch.eye(3);
        using var texts = torch.tensor(new float[]
        {
            1, 0, 0,       // -> image 0 at rank 1
            0, 0.8f, 0.6f, // image 0 scores 0: rank 3
            0, 0.6f, 0.8f, // image 1 scores 0.6 < 0.8: rank 2
            0, 0, 1,       // -> image 2 at rank 1
        }, [4, 3]);

        var result = RetrievalEvaluator.Score(images, texts, [0, 0, 1, 2]);

        Assert.Equal(new RecallAtK(0.5, 1, 1, (1 + 3 + 2 + 1) / 4.0), result.TextToImage);
        // Image 0: text 0 first. Image 1: texts score 0, .8, .6, 0 -> its text 2 is second. Image 2: .6 (t1), .8 (t2), 1 (t3) -> first.
        Assert.Equal(new RecallAtK(2 / 3.0, 1, 1, (1 + 2 + 1) / 3.0), result.ImageToText);
        Assert.Equal(3, result.Images);
        Assert.Equal(4, result.Texts);
    }

    [Fact]
    public void SerialisesWithTheDocumentedFieldNames()
    {
        var json = new RetrievalResult(new RecallAtK(0.1, 0.2, 0.3, 4), new RecallAtK(0.5, 0.6, 0.7, 2), 10, 20).ToJson(indented: false);
        Assert.Equal("{\"text_to_image\":{\"r1\":0.1,\"r5\":0.2,\"r10\":0.3,\"mean_rank\":4},\"image_to_text\":{\"r1\":0.5,\"r5\":0.6,\"r10\":0.7,\"mean_rank\":2},\"images\":10,\"texts\":20}", json);
        Assert.Equal(0.3, RetrievalResult.FromJson(json).TextToImage.R10);
    }
}
