namespace MultiModalSearch.Core.Answers;

/// <summary>
/// How sources are packed and the answer generated (section "Answers"). Token counts are estimated at four characters a
/// token for text (exact counts would need the generator's own tokenizer, which a remote server does not expose), plus
/// <see cref="ImageTokens"/> per figure sent as an image.
/// </summary>
public sealed class AnswerOptions
{
    /// <summary>Tokens the sources may take in the prompt (the question, instructions and answer come on top).</summary>
    public int ContextTokens { get; set; } = 2048;

    /// <summary>The longest a single source's text may be before it is shortened (characters).</summary>
    public int MaxSourceCharacters { get; set; } = 1500;

    /// <summary>Whether the generator reads images: figures are then sent as their crops, else as their captions.</summary>
    public bool SendFigureImages { get; set; }

    /// <summary>The most figure images in one prompt (LLaVA-1.5 was trained with one image per conversation).</summary>
    public int MaxImages { get; set; } = 1;

    /// <summary>The context an image takes (576 for LLaVA-1.5 at 336 px).</summary>
    public int ImageTokens { get; set; } = 576;

    public int MaxAnswerTokens { get; set; } = 384;

    /// <summary>
    /// The generator's context holds one image and the question but not a grounded prompt (a tiny model such as the
    /// bundled emoji-llava, 256 positions). It is then shown the figure that goes with the best source alone
    /// (<see cref="SingleFigureChoice"/>), asked <see cref="FigureQuestion"/>, and its answer is attributed to that
    /// figure; the best passage follows, quoted. With no such figure, the answer is extractive. Set by the host from
    /// the model's config, not by users.
    /// </summary>
    public bool SingleFigure { get; set; }

    /// <summary>
    /// What a single-figure model is asked about the figure: the user's question chooses the figure, but a model that
    /// small was trained on one kind of question and answers others with noise (emoji-llava's is this one).
    /// </summary>
    public string FigureQuestion { get; set; } = "What is shown in this figure?";

    /// <summary>How many sources an extractive answer quotes, and how much of each (characters).</summary>
    public int ExtractiveSources { get; set; } = 3;

    public int ExtractiveQuoteCharacters { get; set; } = 300;

    public static int EstimateTokens(string text) => (text.Length + 3) / 4;

    public void Validate()
    {
        Require(ContextTokens > 0, "context_tokens", $"must be positive (got {ContextTokens})");
        Require(MaxSourceCharacters >= 50, "max_source_characters", $"must be at least 50 (got {MaxSourceCharacters})");
        Require(MaxImages >= 0, "max_images", $"cannot be negative (got {MaxImages})");
        Require(ImageTokens >= 0, "image_tokens", $"cannot be negative (got {ImageTokens})");
        Require(MaxAnswerTokens > 0, "max_answer_tokens", $"must be positive (got {MaxAnswerTokens})");
        Require(!string.IsNullOrWhiteSpace(FigureQuestion) && FigureQuestion.Length <= 200, "figure_question", $"must be 1 to 200 characters (got {FigureQuestion?.Length ?? 0}): a single-figure model's context is small");
        Require(ExtractiveSources > 0, "extractive_sources", $"must be positive (got {ExtractiveSources})");
        Require(ExtractiveQuoteCharacters >= 20, "extractive_quote_characters", $"must be at least 20 (got {ExtractiveQuoteCharacters})");
    }

    private static void Require(bool condition, string setting, string message)
    {
        if (!condition)
        {
            throw new Abstractions.Errors.InvalidSettingException(setting, message);
        }
    }
}
