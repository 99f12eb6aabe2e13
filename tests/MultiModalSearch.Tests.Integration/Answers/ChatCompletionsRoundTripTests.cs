using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.AI;
using MultiModalSearch.Hosting.Chat;
using MultiModalSearch.Models.Chat;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Llava;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Answers;

/// <summary>
/// Each half proves the other: the OpenAI backend (Microsoft.Extensions.AI.OpenAI) talks to the service's
/// /v1/chat/completions, which runs the llava-tiny fixture in-process, and gets exactly what the in-process client gives
/// (the fixture's greedy answer), whole and streamed, with an image sent as a data URL.
/// </summary>
[Collection(AnswerServiceCollection.Name)]
public sealed class ChatCompletionsRoundTripTests(AnswerServiceFixture fixture)
{
    private static ChatMessage[] ImageQuestion() =>
    [
        new(ChatRole.User, [new DataContent(File.ReadAllBytes(LlavaTinyFixture.ImagePaths()[0]), "image/png"), new TextContent("What is in this picture?")]),
    ];

    private IChatClient Remote() => ChatBackends.OpenAiCompatible(new Uri(fixture.Api.Address, "/v1"), AnswerServiceFixture.ModelId, apiKey: null);

    [Fact]
    public async Task TheOpenAiBackendGetsTheInProcessModelsGreedyAnswer()
    {
        var options = new ChatOptions { MaxOutputTokens = 12 };
        using var session = LlavaSession.Open(LlavaTinyFixture.Directory, ComputeOptions.Cpu);
        using var local = new LlavaChatClient(session, AnswerServiceFixture.ModelId);
        using var remote = Remote();

        var expected = await local.GetResponseAsync(ImageQuestion(), options);
        var whole = await remote.GetResponseAsync(ImageQuestion(), options);
        var pieces = new List<ChatResponseUpdate>();
        await foreach (var update in remote.GetStreamingResponseAsync(ImageQuestion(), options))
        {
            pieces.Add(update);
        }

        Assert.Equal(LlavaTinyFixture.Prompt("prompt0").GreedyText, expected.Text);
        Assert.Equal(expected.Text, whole.Text);
        Assert.Equal(ChatFinishReason.Length, whole.FinishReason);
        Assert.Equal(12, whole.Usage?.OutputTokenCount);
        Assert.Equal(expected.Usage?.InputTokenCount, whole.Usage?.InputTokenCount);
        Assert.Equal(AnswerServiceFixture.ModelId, whole.ModelId);
        Assert.Equal(expected.Text, string.Concat(pieces.Select(p => p.Text)));
        Assert.True(pieces.Count(p => p.Text.Length > 0) >= 6, $"the text came in {pieces.Count(p => p.Text.Length > 0)} pieces, not token by token");
        Assert.Contains(pieces, p => p.FinishReason == ChatFinishReason.Length);
    }

    [Fact]
    public async Task TheStreamIsOpenAiChunksOverServerSentEventsEndingWithDone()
    {
        var image = Convert.ToBase64String(File.ReadAllBytes(LlavaTinyFixture.ImagePaths()[0]));
        var body = new
        {
            model = AnswerServiceFixture.ModelId,
            stream = true,
            stream_options = new { include_usage = true },
            max_tokens = 5,
            messages = new object[]
            {
                new { role = "user", content = new object[] { new { type = "image_url", image_url = new { url = $"data:image/png;base64,{image}" } }, new { type = "text", text = "What is in this picture?" } } },
            },
        };

        using var response = await fixture.Api.Client.PostAsJsonAsync("/v1/chat/completions", body);
        var events = ServerSentEventReader.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.All(events, e => Assert.Null(e.Name));
        Assert.Equal("[DONE]", events[^1].Data);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e.Data).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        var text = string.Concat(chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Select(d => d.TryGetProperty("content", out var content) ? content.GetString() : ""));
        Assert.Equal("length", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(5, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        var greedyIds = LlavaTinyFixture.Prompt("prompt0").GreedyIds;
        using var session = LlavaSession.Open(LlavaTinyFixture.Directory, ComputeOptions.Cpu);
        Assert.Equal(session.Tokenizer.Decode(greedyIds.Take(5).ToArray()), text);
    }

    [Fact]
    public async Task ImagesByUrlAndUnsupportedOptionsAreRefusedByName()
    {
        var byUrl = new { messages = new object[] { new { role = "user", content = new object[] { new { type = "image_url", image_url = new { url = "http://example.com/cat.png" } } } } } };
        var twoAnswers = new { n = 2, messages = new object[] { new { role = "user", content = "hi" } } };

        using var url = await fixture.Api.Client.PostAsJsonAsync("/v1/chat/completions", byUrl);
        using var n = await fixture.Api.Client.PostAsJsonAsync("/v1/chat/completions", twoAnswers);

        Assert.Equal(HttpStatusCode.BadRequest, url.StatusCode);
        Assert.Contains("data URL", await url.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, n.StatusCode);
        Assert.Contains("must be 1", await n.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
