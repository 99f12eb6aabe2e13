using MultiModalSearch.Models.Generation;
using MultiModalSearch.Models.Llava;
using MultiModalSearch.Models.Tokenization.ChatTemplates;
using MultiModalSearch.Training.Data;

namespace MultiModalSearch.Training.Llava;

/// <summary>
/// Asks a LLaVA session the question about every image, greedily, through the same path as <c>mms generate</c>
/// (the checkpoint's chat template, its tokenizer and image preprocessing), and counts the answers that name the image.
/// </summary>
public static class NamingEvaluator
{
    public static NamingResult Evaluate(LlavaSession session, IReadOnlyList<CaptionedImage> items, string question,
        int maxAnswerTokens = 32, int keptExamples = 40, CancellationToken cancellationToken = default)
    {
        var prompt = Prompt(session, question);
        var options = GenerationOptions.Greedy(maxAnswerTokens);
        int exact = 0, anyCaption = 0;
        var examples = new List<NamingExample>();
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var answer = session.GenerateToEnd(prompt, [LlavaImage.FromFile(item.ImagePath)], options).Text.Trim();
            exact += answer == item.Captions[0] ? 1 : 0;
            anyCaption += item.Captions.Contains(answer) ? 1 : 0;
            if (examples.Count < keptExamples)
            {
                examples.Add(new NamingExample(Path.GetFileName(item.ImagePath), item.Captions[0], answer));
            }
        }

        return new NamingResult(items.Count, exact, anyCaption, prompt, examples);
    }

    /// <summary>The question about one image, rendered with the checkpoint's chat template and its generation prompt.</summary>
    public static string Prompt(LlavaSession session, string question) =>
        session.RenderChat([new ChatTemplateMessage("user", [ChatTemplateContent.Image, ChatTemplateContent.FromText(question)])]);
}
