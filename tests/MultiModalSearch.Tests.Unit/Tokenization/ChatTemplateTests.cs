using System.Text.Json;
using MultiModalSearch.Models.Tokenization.ChatTemplates;

namespace MultiModalSearch.Tests.Tokenization;

/// <summary>Chat templates rendered by our Jinja subset against Python jinja2's renderings (tests/fixtures/chat-templates).</summary>
public sealed class ChatTemplateTests
{
    private static readonly string ReferencePath = Path.Combine(AppContext.BaseDirectory, "fixtures", "chat-templates", "templates.json");

    private static readonly Dictionary<string, IReadOnlyList<ChatTemplateMessage>> Conversations = new()
    {
        ["single"] = [new ChatTemplateMessage("user", [ChatTemplateContent.Image, ChatTemplateContent.FromText("What is in this picture?")])],
        ["multi"] =
        [
            ChatTemplateMessage.Text("system", "  You are a careful assistant. "),
            new ChatTemplateMessage("user", [ChatTemplateContent.FromText("Compare"), ChatTemplateContent.Image, ChatTemplateContent.Image]),
            ChatTemplateMessage.Text("assistant", "The first is red."),
            ChatTemplateMessage.Text("user", "And the second?"),
        ],
    };

    public static TheoryData<string> Renderings()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(ReferencePath));
        var data = new TheoryData<string>();
        foreach (var output in json.RootElement.GetProperty("outputs").EnumerateObject())
        {
            data.Add(output.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void RendersExactlyAsJinja2(string key)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(ReferencePath));
        var parts = key.Split('/');
        var source = json.RootElement.GetProperty("templates").GetProperty(parts[0]).GetString()!;
        var expected = json.RootElement.GetProperty("outputs").GetProperty(key).GetString();

        var rendered = ChatTemplate.Parse(source).Render(Conversations[parts[1]], parts[2] == "True",
            new Dictionary<string, object?> { ["eos_token"] = "</s>", ["bos_token"] = "<s>" });

        Assert.Equal(expected, rendered);
    }

    [Fact]
    public void TheTemplatesOwnRaiseExceptionBecomesAClearError()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(ReferencePath));
        var template = ChatTemplate.Parse(json.RootElement.GetProperty("templates").GetProperty("strict").GetString()!);
        var error = Assert.Throws<ChatTemplateException>(() => template.Render([ChatTemplateMessage.Text("assistant", "hi")]));
        Assert.Contains("Conversations must start with the user", error.Message);
    }

    [Theory]
    [InlineData("{% macro greet(x) %}hi{% endmacro %}", "'macro' statement")]
    [InlineData("{{ messages | dictsort }}", "filter 'dictsort'")]
    [InlineData("{% if messages is divisibleby 3 %}x{% endif %}", "test 'divisibleby'")]
    [InlineData("{{ 'a'.zfill(3) }}", "string method 'zfill'")]
    [InlineData("{% for m in messages %}{{ m }}", "missing '{% endfor %}'")]
    [InlineData("{{ 'unclosed }}", "never closed")]
    public void ConstructsOutsideTheSubsetFailNamingThem(string source, string expected)
    {
        var error = Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(source).Render([ChatTemplateMessage.Text("user", "hi")]));
        Assert.Contains(expected, error.Message);
    }
}
