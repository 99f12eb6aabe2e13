using System.Collections;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using MultiModalSearch.Abstractions.Errors;
using MultiModalSearch.Core.Answers;
using MultiModalSearch.Hosting;
using MultiModalSearch.Hosting.Chat;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Chat;

/// <summary>Which generator the configuration chooses: an OpenAI-compatible endpoint, an in-process LLaVA fitted to its context, or none.</summary>
public sealed class ChatBackendConfigurationTests
{
    private static ServiceProvider Services(IDictionary environment, Dictionary<string, string?>? flags = null) =>
        new ServiceCollection().AddGroundedAnswers(HostConfiguration.Build(flags, environment: environment)).BuildServiceProvider();

    [Fact]
    public void TheEnvironmentChoosesAnOpenAiCompatibleServerWithItsKey()
    {
        var environment = new Hashtable { ["MMS_LLM_ENDPOINT"] = "http://localhost:8000/v1", ["MMS_LLM_MODEL"] = "llava-hf/llava-1.5-7b-hf", ["MMS_LLM_API_KEY"] = "sk-test", ["MMS_LLM_VISION"] = "true" };

        using var services = Services(environment);
        var settings = services.GetRequiredService<LlmSettings>();
        var client = services.GetRequiredService<IChatClient>();

        Assert.Equal(new Uri("http://localhost:8000/v1"), settings.Endpoint);
        Assert.Equal("sk-test", settings.ApiKey);
        Assert.Equal("llava-hf/llava-1.5-7b-hf", client.GetService<ChatClientMetadata>()?.DefaultModelId);
        Assert.Equal("openai", client.GetService<ChatClientMetadata>()?.ProviderName);
        Assert.True(services.GetRequiredService<AnswerOptions>().SendFigureImages);
        Assert.True(services.GetRequiredService<GroundedAnswerService>().HasGenerator);
    }

    [Fact]
    public void FlagsOverrideTheEnvironment()
    {
        var environment = new Hashtable { ["MMS_LLM_ENDPOINT"] = "http://localhost:8000/v1", ["MMS_LLM_MODEL"] = "env-model" };

        using var services = Services(environment, new() { [ConfigurationKeys.LlmModel] = "flag-model" });

        Assert.Equal("flag-model", services.GetRequiredService<IChatClient>().GetService<ChatClientMetadata>()?.DefaultModelId);
        Assert.False(services.GetRequiredService<AnswerOptions>().SendFigureImages);
    }

    [Fact]
    public void AnInProcessModelIsLoadedOnFirstUseAndItsBudgetFitsItsContext()
    {
        using var services = Services(new Hashtable(), new() { [ConfigurationKeys.LlmModel] = LlavaTinyFixture.Directory });

        var client = Assert.IsType<DeferredChatClient>(services.GetRequiredService<IChatClient>());
        var options = services.GetRequiredService<AnswerOptions>();

        Assert.False(client.IsLoaded);
        Assert.Equal("llava-tiny", client.ModelId);
        Assert.True(options.SendFigureImages);
        // llava-tiny: 512 positions, 7x7 patches: the answer gets a quarter, the sources what is left after the prompt.
        Assert.Equal(128, options.MaxAnswerTokens);
        Assert.Equal(512 - 128 - 250, options.ContextTokens);
        Assert.Equal(49, options.ImageTokens);
        Assert.False(options.SingleFigure);
    }

    [Fact]
    public void TheBundledEmojiLlavaIsTooSmallForAGroundedPromptAndAnswersFromOneFigure()
    {
        using var services = Services(new Hashtable(), new() { [ConfigurationKeys.LlmModel] = RepositoryPaths.EmojiLlava });

        var options = services.GetRequiredService<AnswerOptions>();

        // 256 positions: 64 for the answer leave less than nothing for the system text, sources and a 36-token image.
        Assert.True(options.SingleFigure);
        Assert.Equal(64, options.MaxAnswerTokens);
        Assert.Equal(36, options.ImageTokens);
    }

    [Fact]
    public void NoneMeansExtractiveAnswers()
    {
        using var services = Services(new Hashtable(), new() { [ConfigurationKeys.LlmModel] = "none" });

        Assert.Null(services.GetService<IChatClient>());
        Assert.False(services.GetRequiredService<GroundedAnswerService>().HasGenerator);
    }

    [Theory]
    [InlineData("ftp://example.com/v1", "m", "llm_endpoint", "http or https")]
    [InlineData("not a url", "m", "llm_endpoint", "http or https")]
    [InlineData("http://localhost:8000/v1", null, "llm_model", "is required with an endpoint")]
    public void BadSettingsAreRefusedByName(string endpoint, string? model, string setting, string message)
    {
        var environment = new Hashtable { ["MMS_LLM_ENDPOINT"] = endpoint };
        if (model is not null)
        {
            environment["MMS_LLM_MODEL"] = model;
        }

        var error = Assert.Throws<InvalidSettingException>(() => Services(environment));

        Assert.Equal(setting, error.Setting);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
