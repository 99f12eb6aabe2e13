namespace MultiModalSearch.Hosting;

/// <summary>
/// The configuration keys, and the documented <c>MMS_*</c> environment variables that set them. Any key can also be set
/// as <c>MMS_Section__Key</c> (the .NET convention), in appsettings.json, or by a host's own flags.
/// </summary>
public static class ConfigurationKeys
{
    public const string DatabaseUrl = "Database:Url";
    public const string ReadDatabaseUrl = "Database:ReadUrl";
    public const string DataDirectory = "Database:DataDirectory";
    public const string IndexBuildMemory = "Database:IndexBuildMemory";
    public const string DefaultModel = "Models:Default";
    public const string Device = "Models:Device";
    public const string QueryDType = "Models:QueryDType";
    public const string Home = "Home";
    public const string MallocTuning = "MallocTuning";

    /// <summary>Sentence embedder (folder or Hub id) for document retrieval in the service and in ask: the one the documents were ingested with.</summary>
    public const string TextModel = "Documents:TextModel";

    /// <summary>Cross-encoder (folder or Hub id) that reranks document retrieval's fused candidates in the service and in ask.</summary>
    public const string Reranker = "Documents:Reranker";

    /// <summary>An OpenAI-compatible server (its base URL, e.g. http://localhost:8000/v1) that generates answers instead of the in-process model.</summary>
    public const string LlmEndpoint = "Llm:Endpoint";

    /// <summary>The generator: with an endpoint, the model name that server knows; without, a LLaVA folder or Hub id run in-process ("none": extractive answers).</summary>
    public const string LlmModel = "Llm:Model";

    /// <summary>The endpoint's API key; from the environment (MMS_LLM_API_KEY) or a settings file, never a command-line flag.</summary>
    public const string LlmApiKey = "Llm:ApiKey";

    /// <summary>Whether the endpoint's model reads images (then figures are sent as images, else as captions). The in-process LLaVA always does.</summary>
    public const string LlmVision = "Llm:Vision";

    /// <summary>Environment variable -> key, for the names the README documents.</summary>
    public static IReadOnlyDictionary<string, string> EnvironmentAliases { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["MMS_DATABASE_URL"] = DatabaseUrl,
        ["MMS_READ_DATABASE_URL"] = ReadDatabaseUrl,
        ["MMS_DATA_DIR"] = DataDirectory,
        ["MMS_INDEX_BUILD_MEMORY"] = IndexBuildMemory,
        ["MMS_MODEL"] = DefaultModel,
        ["MMS_DEVICE"] = Device,
        ["MMS_QUERY_DTYPE"] = QueryDType,
        ["MMS_HOME"] = Home,
        ["MMS_MALLOC_TUNING"] = MallocTuning,
        ["MMS_TEXT_MODEL"] = TextModel,
        ["MMS_RERANKER"] = Reranker,
        ["MMS_LLM_ENDPOINT"] = LlmEndpoint,
        ["MMS_LLM_MODEL"] = LlmModel,
        ["MMS_LLM_API_KEY"] = LlmApiKey,
        ["MMS_LLM_VISION"] = LlmVision,
    };
}
