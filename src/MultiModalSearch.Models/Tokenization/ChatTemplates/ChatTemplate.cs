using System.Text;
using System.Text.Json;

namespace MultiModalSearch.Models.Tokenization.ChatTemplates;

/// <summary>
/// A checkpoint's Jinja chat template, rendered with the subset of Jinja that chat templates use (docs/llava.md lists
/// it): statements for/if/elif/else/set/generation/break/continue, whitespace control, <c>loop.*</c>, <c>namespace()</c>,
/// <c>raise_exception</c>, the common filters, tests and string methods. Environment as transformers sets it up:
/// trim_blocks and lstrip_blocks on, undefined values rendering as nothing. Anything outside the subset fails with
/// <see cref="ChatTemplateException"/> when the template is parsed or rendered, never with a silently different prompt.
/// </summary>
public sealed class ChatTemplate
{
    public const string JinjaFileName = "chat_template.jinja";
    public const string JsonFileName = "chat_template.json";

    private readonly Action<JinjaScope, StringBuilder> render;

    private ChatTemplate(string source, Action<JinjaScope, StringBuilder> render)
    {
        Source = source;
        this.render = render;
    }

    public string Source { get; }

    /// <exception cref="ChatTemplateException">The template uses syntax outside the supported subset.</exception>
    public static ChatTemplate Parse(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new ChatTemplate(source, JinjaParser.Parse(source));
    }

    /// <summary>
    /// The processor's template as transformers picks it: <c>chat_template.jinja</c>, else <c>chat_template.json</c>,
    /// else the tokenizer's (<paramref name="tokenizerTemplate"/>); null when the checkpoint has none.
    /// </summary>
    public static ChatTemplate? FromDirectory(string directory, string? tokenizerTemplate)
    {
        var jinja = Path.Combine(directory, JinjaFileName);
        if (File.Exists(jinja))
        {
            return Parse(File.ReadAllText(jinja));
        }

        var json = Path.Combine(directory, JsonFileName);
        if (File.Exists(json))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(json));
            var template = Tokenization.SentencePiece.LlamaTokenizerConfig.ReadChatTemplate(document.RootElement, json);
            if (template is not null)
            {
                return Parse(template);
            }
        }

        return tokenizerTemplate is null ? null : Parse(tokenizerTemplate);
    }

    /// <summary>The prompt text for <paramref name="messages"/>; <paramref name="variables"/> adds bos_token and the like.</summary>
    public string Render(IReadOnlyList<ChatTemplateMessage> messages, bool addGenerationPrompt = true, IReadOnlyDictionary<string, object?>? variables = null)
    {
        var globals = new Dictionary<string, object?>(JinjaBuiltins.Globals, StringComparer.Ordinal)
        {
            ["messages"] = messages.Select(ToTemplateValue).ToList(),
            ["add_generation_prompt"] = addGenerationPrompt,
        };
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>())
        {
            globals[name] = value;
        }

        var output = new StringBuilder();
        try
        {
            render(new JinjaScope(globals), output);
        }
        catch (JinjaLoopSignal)
        {
            throw new ChatTemplateException("chat template uses break or continue outside a for loop");
        }

        return output.ToString();
    }

    private static object? ToTemplateValue(ChatTemplateMessage message) => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["role"] = message.Role,
        ["content"] = message.Content.Select(part =>
        {
            var item = new Dictionary<string, object?>(StringComparer.Ordinal) { ["type"] = part.Type };
            if (part.Text is not null)
            {
                item["text"] = part.Text;
            }

            return (object?)item;
        }).ToList(),
    };
}
