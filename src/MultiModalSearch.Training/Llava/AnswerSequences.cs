using MultiModalSearch.Models.Llava;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Training.Llava;

/// <summary>
/// Decoder inputs for answer training: the prompt's ids as the processor encodes them at inference (BOS, the image
/// placeholder expanded), then the answer's ids and EOS. Labels are the answer and EOS only (the prompt and padding are
/// <see cref="IgnoredLabel"/>), so the model learns to answer, not to repeat the question. Rows are padded on the right,
/// which the causal mask makes exact.
/// </summary>
internal sealed class AnswerSequences
{
    public const long IgnoredLabel = -100;

    private readonly LlavaProcessor processor;
    private readonly int[][] prompts;
    private readonly Dictionary<string, int[]> answers = new(StringComparer.Ordinal);
    private readonly long padId;

    public AnswerSequences(LlavaProcessor processor, IReadOnlyList<string> renderedPrompts)
    {
        this.processor = processor;
        prompts = renderedPrompts.Select(p => processor.EncodePrompt(p, imageCount: 1)).ToArray();
        padId = processor.Tokenizer.PadTokenId ?? processor.Tokenizer.EosTokenId;
    }

    /// <summary>The answer's ids as generation should produce them: its pieces (with the leading space piece) and EOS.</summary>
    public int[] AnswerIds(string answer)
    {
        if (!answers.TryGetValue(answer, out var ids))
        {
            ids = [.. processor.Tokenizer.Encode(answer, addSpecialTokens: false), processor.Tokenizer.EosTokenId];
            answers[answer] = ids;
        }

        return ids;
    }

    /// <summary>[rows, longest] ids and labels for (answer, question index) rows.</summary>
    public (Tensor Ids, Tensor Labels) Build(IReadOnlyList<(string Answer, int Question)> rows)
    {
        var sequences = rows.Select(r => (Prompt: prompts[r.Question], Answer: AnswerIds(r.Answer))).ToList();
        var longest = sequences.Max(s => s.Prompt.Length + s.Answer.Length);
        var ids = new long[rows.Count * longest];
        var labels = new long[rows.Count * longest];
        Array.Fill(ids, padId);
        Array.Fill(labels, IgnoredLabel);
        for (var row = 0; row < sequences.Count; row++)
        {
            var (prompt, answer) = sequences[row];
            var offset = row * longest;
            for (var i = 0; i < prompt.Length; i++)
            {
                ids[offset + i] = prompt[i];
            }

            for (var i = 0; i < answer.Length; i++)
            {
                ids[offset + prompt.Length + i] = answer[i];
                labels[offset + prompt.Length + i] = answer[i];
            }
        }

        return (torch.tensor(ids, [rows.Count, longest]), torch.tensor(labels, [rows.Count, longest]));
    }
}
