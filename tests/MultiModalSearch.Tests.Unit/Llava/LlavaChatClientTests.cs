using Microsoft.Extensions.AI;
using MultiModalSearch.Abstractions.Chat;
using MultiModalSearch.Models.Chat;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Generation;
using MultiModalSearch.Models.Llava;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Llava;

/// <summary>The in-process model behind IChatClient: template, images as DataContent, streaming, options.</summary>
public sealed class LlavaChatClientTests
{
    private static ChatMessage UserWithImage(string text) => new(ChatRole.User,
    [
        new DataContent(File.ReadAllBytes(LlavaTinyFixture.ImagePaths()[0]), "image/png"),
        new TextContent(text),
    ]);

    /// <summary>Used through the interface only, as the HTTP endpoint and the answer service will.</summary>
    private static IChatClient AsChatClient(LlavaSession session)
    {
        IChatClient client = new LlavaChatClient(session, "llava-tiny");
        return client;
    }

    [Fact]
    public async Task ChatTurnWithAnImageGivesTheFixturesGreedyAnswer()
    {
        // The fixture's template renders this turn as prompt0's text exactly, so the greedy answer is the reference's.
        using var session = LlavaSession.Open(LlavaTinyFixture.Directory, ComputeOptions.Cpu);
        using var client = AsChatClient(session);
        var prompt = LlavaTinyFixture.Prompt("prompt0");

        var response = await client.GetResponseAsync([UserWithImage("What is in this picture?")], new ChatOptions { MaxOutputTokens = 12 });

        Assert.Equal(prompt.GreedyText, response.Text);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(67, response.Usage?.InputTokenCount);
        Assert.Equal(12, response.Usage?.OutputTokenCount);
        Assert.Equal("llava-tiny", response.ModelId);
    }

    [Fact]
    public async Task StreamingUpdatesConcatenateToTheNonStreamingAnswer()
    {
        using var session = LlavaSession.Open(LlavaTinyFixture.Directory, ComputeOptions.Cpu);
        using var client = AsChatClient(session);
        var options = new ChatOptions { MaxOutputTokens = 10, Temperature = 0.8f, TopP = 0.9f, Seed = 3 };
        ChatMessage[] messages = [new ChatMessage(ChatRole.System, "Be brief."), UserWithImage("Describe it.")];

        var whole = await client.GetResponseAsync(messages, options);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, options))
        {
            updates.Add(update);
        }

        Assert.Equal(whole.Text, string.Concat(updates.Select(u => u.Text)));
        Assert.True(updates.Count >= 10);
        Assert.All(updates, u => Assert.Equal(ChatRole.Assistant, u.Role));
        Assert.NotNull(updates[^1].FinishReason);
    }

    [Fact]
    public void OptionsMapOntoGenerationAndUnsupportedOnesAreRefused()
    {
        var greedy = LlavaChatClient.ToGenerationOptions(new ChatOptions { MaxOutputTokens = 5 });
        Assert.False(greedy.DoSample);
        var sampled = LlavaChatClient.ToGenerationOptions(new ChatOptions
        {
            Temperature = 0.7f, TopP = 0.8f, TopK = 40, Seed = 11, StopSequences = ["\n"],
            AdditionalProperties = new() { [ChatOptionKeys.RepetitionPenalty] = 1.2 },
        });
        Assert.Equal((true, 0.7, 0.8, 40, 11, 1.2), (sampled.DoSample, Math.Round(sampled.Temperature, 3), Math.Round(sampled.TopP, 3), sampled.TopK, sampled.Seed, sampled.RepetitionPenalty));
        Assert.Equal(["\n"], sampled.StopSequences);
        Assert.Throws<NotSupportedException>(() => LlavaChatClient.ToGenerationOptions(new ChatOptions { PresencePenalty = 0.5f }));
    }

    [Fact]
    public async Task ContentTheModelCannotReadIsRefusedNotDropped()
    {
        using var session = LlavaSession.Open(LlavaTinyFixture.Directory, ComputeOptions.Cpu);
        using var client = AsChatClient(session);
        var audio = new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1, 2 }, "audio/wav"), new TextContent("hi")]);
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync([audio]));
        Assert.Contains("audio/wav", error.Message);
        Assert.Same(session, client.GetService(typeof(LlavaSession)));
        Assert.Equal("llava-tiny", client.GetService<ChatClientMetadata>()?.DefaultModelId);
    }
}
