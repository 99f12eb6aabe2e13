using System.CommandLine;

namespace MultiModalSearch.Cli;

/// <summary>Options several commands share, so they read and default the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<string?> Model() => new("--model", "-m")
    {
        Description = "Model: a local folder (Hugging Face layout) or a Hub id such as openai/clip-vit-base-patch32. " +
                      "Default: $MMS_MODEL, else openai/clip-vit-base-patch32 when the Hub is reachable, else the bundled offline model",
    };

    public static Option<string> Device() => new("--device")
    {
        Description = "auto (CUDA when present), cpu, cuda or cuda:N",
        DefaultValueFactory = _ => "auto",
    };

    public static Option<string> DType() => new("--dtype")
    {
        Description = "auto, fp32, fp16 (CUDA) or bf16 (CUDA, or CPUs with AVX512-BF16/AMX). auto: fp32 for embed and eval; for indexing fp16 on CUDA, bf16 on CPUs with bf16 units, else fp32",
        DefaultValueFactory = _ => "auto",
    };

    /// <summary>An OpenAI-compatible server for answers; its key comes from MMS_LLM_API_KEY only, never a flag (flags show in process lists).</summary>
    public static Option<string?> LlmEndpoint() => new("--llm-endpoint")
    {
        Description = "Generate answers with an OpenAI-compatible server at this base URL, e.g. http://localhost:8000/v1 (vLLM, llama.cpp, Ollama); key from $MMS_LLM_API_KEY. Default: $MMS_LLM_ENDPOINT",
    };

    public static Option<string?> LlmModel() => new("--llm-model")
    {
        Description = "With --llm-endpoint: the server's model name. Without: a LLaVA folder or Hub id run in this process (the bundled offline one: models/emoji-llava), or 'none' for extractive answers. Default: $MMS_LLM_MODEL, else none",
    };

    /// <summary>Document retrieval's embedder stage in the hosts (<see cref="ConfigurationKeys.TextModel"/>).</summary>
    public static Option<string?> DocumentTextModel() => new("--text-model")
    {
        Description = "Sentence embedder the documents were ingested with (folder or Hugging Face id), for retrieval's embedder stage (default: $MMS_TEXT_MODEL, else none: full text and figures)",
    };

    /// <summary>Document retrieval's cross-encoder in the hosts (<see cref="ConfigurationKeys.Reranker"/>).</summary>
    public static Option<string?> DocumentReranker() => new("--reranker")
    {
        Description = "Cross-encoder (folder or Hugging Face id) that reranks the fused document candidates (default: $MMS_RERANKER, else none)",
    };

    public const int MaxCollectionName = 200;

    public static Option<string> Collection()
    {
        var option = new Option<string>("--collection", "-c")
        {
            Description = $"Collection name, 1 to {MaxCollectionName} characters (one model per collection)",
            DefaultValueFactory = _ => "default",
        };
        option.Validators.Add(result =>
        {
            var name = result.GetValueOrDefault<string>() ?? "";
            if (string.IsNullOrWhiteSpace(name) || name.Length > MaxCollectionName)
            {
                result.AddError($"--collection must be a name of 1 to {MaxCollectionName} characters (got {(name.Length == 0 ? "an empty one" : $"{name.Length} characters")})");
            }
        });
        return option;
    }

    /// <summary>A count the user may leave out (the command's default), but not set to zero or less.</summary>
    public static Option<int> PositiveCount(string name, string description, int? defaultValue = null)
    {
        var option = new Option<int>(name) { Description = description };
        if (defaultValue is { } value)
        {
            option.DefaultValueFactory = _ => value;
        }

        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < 1)
            {
                result.AddError($"{name} must be at least 1 (got {value})");
            }
        });
        return option;
    }

    public static Option<string?> Db() => new("--db")
    {
        Description = "PostgreSQL connection string or postgres:// URL (default: $MMS_DATABASE_URL, else the embedded project-local database)",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Print the result as JSON",
    };
}
