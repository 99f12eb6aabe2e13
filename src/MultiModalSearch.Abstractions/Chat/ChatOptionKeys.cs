namespace MultiModalSearch.Abstractions.Chat;

/// <summary>
/// <see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/> keys our chat clients understand beyond the
/// standard options (OpenAI-compatible servers such as vLLM accept the same names as extra request fields).
/// </summary>
public static class ChatOptionKeys
{
    /// <summary>A number above 1 that makes tokens already in the prompt or the answer less likely (transformers' repetition_penalty).</summary>
    public const string RepetitionPenalty = "repetition_penalty";
}
