namespace MultiModalSearch.Api;

/// <summary>The service's own settings (section "Service"; MMS_Service__Key in the environment).</summary>
public sealed class ServiceOptions
{
    /// <summary>The largest image a client may upload (the decoder's pixel limit applies after this).</summary>
    public long MaxUploadBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>The largest JSON request body.</summary>
    public long MaxJsonBytes { get; set; } = 64 * 1024;

    public int RequestTimeoutSeconds { get; set; } = 30;

    /// <summary>How long a stopping service lets requests in flight finish.</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 30;

    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Token bucket per API key, or per client address without one.</summary>
    public sealed class RateLimitOptions
    {
        public int PermitsPerSecond { get; set; } = 50;

        public int Burst { get; set; } = 100;
    }
}
