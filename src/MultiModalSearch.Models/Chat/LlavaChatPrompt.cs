using Microsoft.Extensions.AI;
using MultiModalSearch.Models.Llava;
using MultiModalSearch.Models.Tokenization.ChatTemplates;

namespace MultiModalSearch.Models.Chat;

/// <summary>
/// Chat messages to a LLaVA prompt: the turns rendered with the checkpoint's chat template, images (DataContent with an
/// image media type) in the order the template places them. Text and images are the only content the model reads;
/// anything else (tool calls, audio, files) is refused rather than dropped.
/// </summary>
public sealed record LlavaChatPrompt(string Prompt, IReadOnlyList<LlavaImage> Images)
{
    public static LlavaChatPrompt Build(LlavaSession session, IEnumerable<ChatMessage> messages, string? instructions = null)
    {
        var turns = new List<ChatTemplateMessage>();
        var images = new List<LlavaImage>();
        if (!string.IsNullOrEmpty(instructions))
        {
            turns.Add(ChatTemplateMessage.Text("system", instructions));
        }

        foreach (var message in messages)
        {
            var parts = new List<ChatTemplateContent>();
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent text:
                        parts.Add(ChatTemplateContent.FromText(text.Text));
                        break;
                    case DataContent data when data.HasTopLevelMediaType("image"):
                        parts.Add(ChatTemplateContent.Image);
                        images.Add(new LlavaImage(data.Data, data.Name ?? $"image {images.Count + 1} ({data.MediaType})"));
                        break;
                    case UsageContent or TextReasoningContent:
                        break;
                    default:
                        throw new NotSupportedException(
                            $"a {message.Role} message holds {content.GetType().Name}{(content is DataContent d ? $" ({d.MediaType})" : "")}; this model reads only text and images");
                }
            }

            turns.Add(new ChatTemplateMessage(message.Role.Value, parts));
        }

        return new LlavaChatPrompt(session.RenderChat(turns), images);
    }
}
