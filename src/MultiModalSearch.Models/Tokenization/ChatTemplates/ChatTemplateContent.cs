namespace MultiModalSearch.Models.Tokenization.ChatTemplates;

/// <summary>A content part of a chat message: text, or an image whose pixels travel separately from the prompt.</summary>
public sealed record ChatTemplateContent(string Type, string? Text = null)
{
    public static ChatTemplateContent Image { get; } = new("image");

    public static ChatTemplateContent FromText(string text) => new("text", text);
}
