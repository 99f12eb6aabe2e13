namespace MultiModalSearch.Models.Hub;

/// <summary>
/// Where and how to reach the Hugging Face Hub. <see cref="FromEnvironment"/> reads the same variables as the
/// Python <c>huggingface_hub</c> library so both share one cache; tests build the record directly instead of
/// mutating process-wide environment variables.
/// </summary>
public sealed record HubOptions
{
    public const string DefaultEndpoint = "https://huggingface.co";

    /// <summary>Base URL without a trailing slash, e.g. https://huggingface.co.</summary>
    public string Endpoint { get; init; } = DefaultEndpoint;

    /// <summary>The hub cache folder (the one holding <c>models--org--name</c> folders).</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>Sent as <c>Authorization: Bearer</c> to the endpoint only, never to CDN redirects.</summary>
    public string? Token { get; init; }

    /// <summary>When true no request is made at all; only the cache is used.</summary>
    public bool Offline { get; init; }

    /// <summary>Limit for metadata (HEAD) requests and for the headers of a download; bodies are not limited.</summary>
    public TimeSpan MetadataTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Reads HF_ENDPOINT, HF_HUB_CACHE, HF_HOME, XDG_CACHE_HOME, HF_TOKEN, HF_TOKEN_PATH, HF_HUB_OFFLINE, HF_HUB_ETAG_TIMEOUT.</summary>
    /// <param name="getVariable">Variable lookup (the host passes the process environment; tests a dictionary).</param>
    public static HubOptions FromEnvironment(Func<string, string?> getVariable)
    {
        var env = getVariable;
        var hfHome = HfHome(env);
        return new HubOptions
        {
            Endpoint = (NonEmpty(env("HF_ENDPOINT")) ?? DefaultEndpoint).TrimEnd('/'),
            CacheDirectory = ExpandHome(NonEmpty(env("HF_HUB_CACHE")) ?? NonEmpty(env("HUGGINGFACE_HUB_CACHE")))
                             ?? Path.Combine(hfHome, "hub"),
            Token = NonEmpty(env("HF_TOKEN")) ?? NonEmpty(env("HUGGING_FACE_HUB_TOKEN"))
                    ?? ReadTokenFile(ExpandHome(NonEmpty(env("HF_TOKEN_PATH"))) ?? Path.Combine(hfHome, "token")),
            Offline = IsTrue(env("HF_HUB_OFFLINE")),
            MetadataTimeout = ParseSeconds(env("HF_HUB_ETAG_TIMEOUT")) ?? TimeSpan.FromSeconds(10),
        };
    }

    // A record prints every property; the token must never reach a log line.
    public override string ToString() =>
        $"HubOptions {{ Endpoint = {Endpoint}, CacheDirectory = {CacheDirectory}, Offline = {Offline}, " +
        $"Token = {(Token is null ? "none" : "(set)")}, MetadataTimeout = {MetadataTimeout} }}";

    private static string HfHome(Func<string, string?> env)
    {
        var home = ExpandHome(NonEmpty(env("HF_HOME")));
        if (home is not null)
            return home;
        var xdg = ExpandHome(NonEmpty(env("XDG_CACHE_HOME")))
                  ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(xdg, "huggingface");
    }

    // `huggingface-cli login` stores the token in a file; honouring it saves Python users a second login.
    private static string? ReadTokenFile(string path)
    {
        try
        {
            return File.Exists(path) ? NonEmpty(File.ReadAllText(path).Trim()) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsTrue(string? value) =>
        value?.Trim().ToUpperInvariant() is "1" or "ON" or "YES" or "TRUE";

    private static TimeSpan? ParseSeconds(string? value) =>
        double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0
            ? TimeSpan.FromSeconds(s)
            : null;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string? ExpandHome(string? path)
    {
        if (path is null || !(path == "~" || path.StartsWith("~/", StringComparison.Ordinal)))
            return path;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return path.Length == 1 ? home : Path.Combine(home, path[2..]);
    }
}
