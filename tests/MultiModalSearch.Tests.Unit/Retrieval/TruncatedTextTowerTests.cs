using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;
using MultiModalSearch.Models.Resolution;
using MultiModalSearch.Models.Tokenization.Clip;
using TorchSharp;

namespace MultiModalSearch.Tests.Retrieval;

/// <summary>
/// The text tower runs only up to each batch's longest text (ClipSession.EmbedTexts). With the causal mask and pooling
/// at the end-of-text token this must equal the full 77-position run: no position ever attends to a later one, so the
/// padding after the end token cannot change it.
/// </summary>
public sealed class TruncatedTextTowerTests
{
    private static readonly string[] Texts = ["cat", "a photo of a dog on a beach", "birthday cake with candles and a smiling child in a garden", "x"];

    [Fact]
    public void EmbeddingsCutToTheLongestTextEqualTheFull77PositionRun()
    {
        using var session = ClipSession.Open(BundledModel(), ComputeOptions.Cpu);
        var clip = Assert.IsType<ClipImageTextEncoder>(session.Embedder);
        var tokenizer = ClipTokenizer.FromDirectory(BundledModel());
        var context = tokenizer.ContextLength;
        var ids = new long[Texts.Length * context];
        var lengths = Texts.Select((t, i) => tokenizer.EncodePadded(t, ids.AsSpan(i * context, context))).ToArray();
        var full = new float[Texts.Length * session.Dimension];
        using (var batch = torch.tensor(ids, [Texts.Length, context]))
        {
            clip.Embedder.EmbedTokens(batch, full);
        }

        var batched = session.EmbedTexts(Texts);
        var single = Texts.Select(session.EmbedText).ToArray();

        Assert.Equal(77, context);
        Assert.True(lengths.Max() < 20, $"the texts should be short (lengths {string.Join(", ", lengths)})");
        for (var i = 0; i < Texts.Length; i++)
        {
            var reference = full.AsSpan(i * session.Dimension, session.Dimension).ToArray();
            AssertClose(reference, batched[i], Texts[i] + " (batched with longer texts)");
            AssertClose(reference, single[i], Texts[i] + " (alone, cut to its own length)");
        }
    }

    internal static string BundledModel() =>
        ModelLocator.FindBundledModel([AppContext.BaseDirectory]) ?? throw new DirectoryNotFoundException("models/emoji-clip");

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst < 1e-5, $"{what}: max abs difference {worst}");
    }
}
