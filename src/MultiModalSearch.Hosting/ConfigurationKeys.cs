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
    };
}
