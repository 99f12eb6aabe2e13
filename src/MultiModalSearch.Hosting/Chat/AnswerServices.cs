using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MultiModalSearch.Abstractions.DocumentRetrieval;
using MultiModalSearch.Core.Answers;
using MultiModalSearch.Models.Chat;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Llava;
using MultiModalSearch.Models.Resolution;

namespace MultiModalSearch.Hosting.Chat;

/// <summary>
/// Registers the generator (<see cref="IChatClient"/>, when one is configured), the answer options (section
/// "Answers", fitted to an in-process model's context) and <see cref="GroundedAnswerService"/> over whatever
/// <see cref="IDocumentRetriever"/> is registered.
/// </summary>
public static class AnswerServices
{
    /// <summary>Tokens of a grounded prompt besides its sources: the system text, the question, the chat template.</summary>
    private const int PromptOverheadTokens = 250;

    /// <summary>The least room for source text, beside one image, that makes a grounded prompt worth sending.</summary>
    private const int MinimumSourceTokens = 64;

    public static IServiceCollection AddGroundedAnswers(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = LlmSettings.From(configuration);
        var options = configuration.GetSection("Answers").Get<AnswerOptions>() ?? new AnswerOptions();
        services.AddSingleton(settings);
        if (settings.IsRemote)
        {
            options.SendFigureImages = settings.Vision;
            services.AddSingleton<IChatClient>(_ => ChatBackends.OpenAiCompatible(settings.Endpoint!, settings.Model!, settings.ApiKey));
        }
        // Only a model someone named: with nothing configured the answer is extractive. The bundled emoji-llava, when
        // named, answers from one figure (FitTo), which suits a question about a figure but not one about the text.
        else if (!settings.IsOff && settings.Model is { } model)
        {
            options.SendFigureImages = true;
            if (Directory.Exists(model) && File.Exists(Path.Combine(model, "config.json")))
            {
                FitTo(LlavaConfig.Load(Path.Combine(model, "config.json")), options);
            }

            var device = configuration[ConfigurationKeys.Device] ?? "auto";
            var modelId = Directory.Exists(model) ? Path.GetFileName(Path.GetFullPath(model).TrimEnd(Path.DirectorySeparatorChar)) : model;
            services.AddSingleton<IChatClient>(s => new DeferredChatClient(modelId, async cancellationToken =>
            {
                var resolved = await s.GetRequiredService<ModelLocator>().LocateAsync(model, null, cancellationToken);
                var session = LlavaSession.Open(resolved.Directory, ComputeOptions.Resolve(device, "auto", Workload.Generation));
                return new LlavaChatClient(session, modelId, ownsSession: true);
            }));
        }

        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton(s => new GroundedAnswerService(s.GetService<IDocumentRetriever>(), s.GetService<IChatClient>(), s.GetRequiredService<AnswerOptions>()));
        return services;
    }

    /// <summary>
    /// Shrinks the answer and source budgets to what the model's positions hold and prices an image at its feature
    /// count. A model too small for a grounded prompt with one image (the bundled emoji-llava: 256 positions) answers
    /// from one figure instead (<see cref="AnswerOptions.SingleFigure"/>).
    /// </summary>
    public static void FitTo(LlavaConfig config, AnswerOptions options)
    {
        var positions = config.Text.MaxPositionEmbeddings;
        options.ImageTokens = config.ImageSequenceLength;
        options.MaxAnswerTokens = Math.Min(options.MaxAnswerTokens, Math.Max(16, positions / 4));
        var forSources = positions - options.MaxAnswerTokens - PromptOverheadTokens;
        options.SingleFigure = forSources < options.ImageTokens + MinimumSourceTokens;
        options.ContextTokens = Math.Max(64, Math.Min(options.ContextTokens, forSources));
    }
}
