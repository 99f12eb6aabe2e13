namespace MultiModalSearch.Models.Tokenization.ChatTemplates;

/// <summary>
/// One turn as a chat template sees it: a role (system, user, assistant) and its content parts in order, each text or
/// an image placeholder. Rendered as transformers' processors pass it:
/// <c>{"role": ..., "content": [{"type": "image"}, {"type": "text", "text": ...}]}</c>.
/// </summary>
public sealed record ChatTemplateMessage(string Role, IReadOnlyList<ChatTemplateContent> Content)
{
    public static ChatTemplateMessage Text(string role, string text) => new(role, [ChatTemplateContent.FromText(text)]);
}
