using Microsoft.Extensions.Configuration;
using MultiModalSearch.Abstractions.Errors;

namespace MultiModalSearch.Hosting.Chat;

/// <summary>
/// Which generator answers questions, from configuration (<see cref="ConfigurationKeys.LlmEndpoint"/> and friends):
/// an OpenAI-compatible server when an endpoint is set, else the in-process LLaVA named (a folder such as the bundled
/// <c>models/emoji-llava</c>, or a Hub id), else none (extractive answers).
/// </summary>
public sealed record LlmSettings(Uri? Endpoint, string? Model, string? ApiKey, bool Vision)
{
    /// <summary>The model value that turns generation off (extractive answers), overriding a model set in appsettings.json.</summary>
    public const string None = "none";

    public bool IsRemote => Endpoint is not null;

    public bool IsOff => string.Equals(Model, None, StringComparison.OrdinalIgnoreCase);

    public static LlmSettings From(IConfiguration configuration)
    {
        var endpoint = Trimmed(configuration[ConfigurationKeys.LlmEndpoint]);
        var model = Trimmed(configuration[ConfigurationKeys.LlmModel]);
        var vision = Trimmed(configuration[ConfigurationKeys.LlmVision]);
        Uri? uri = null;
        if (endpoint is not null)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new InvalidSettingException("llm_endpoint", $"must be an http or https URL such as http://localhost:8000/v1 (got '{endpoint}')");
            }

            if (model is null || string.Equals(model, None, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidSettingException("llm_model", "is required with an endpoint: the model name that server serves (e.g. llava-hf/llava-1.5-7b-hf)");
            }
        }

        bool visionValue = false;
        if (vision is not null && !bool.TryParse(vision, out visionValue))
        {
            throw new InvalidSettingException("llm_vision", $"must be true or false (got '{vision}')");
        }

        return new LlmSettings(uri, model, Trimmed(configuration[ConfigurationKeys.LlmApiKey]), visionValue);
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
