namespace MultiModalSearch.Imaging;

/// <summary>
/// Process-wide libvips settings for decoding many untrusted images from parallel workers.
/// </summary>
internal static class VipsRuntime
{
    private static readonly object Gate = new();
    private static bool configured;

    /// <summary>
    /// Idempotent. Choices:
    /// - operation cache off (Max = 0, MaxFiles = 0): every image is decoded once, so caching only
    ///   holds file descriptors and decoded pixels that are never reused;
    /// - concurrency 1: callers parallelise across images (one worker per core), and libvips'
    ///   own per-image thread pool on top would oversubscribe the cores for no gain (JPEG/PNG
    ///   decoding is serial anyway). VIPS_CONCURRENCY in the environment still wins;
    /// - untrusted loaders blocked (e.g. the raw .vips and matrix/CSV loaders, ImageMagick), since
    ///   uploads are attacker-controlled; JPEG/PNG/WebP/GIF/TIFF/HEIF stay available;
    /// - libvips' warnings kept off stderr (<see cref="VipsWarnings"/>).
    /// </summary>
    public static void EnsureConfigured()
    {
        if (Volatile.Read(ref configured))
            return;
        lock (Gate)
        {
            if (configured)
                return;
            NetVips.Cache.Max = 0;
            NetVips.Cache.MaxFiles = 0;
            NetVips.Cache.MaxMem = 0;
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("VIPS_CONCURRENCY")))
                NetVips.NetVips.Concurrency = 1;
            NetVips.NetVips.BlockUntrusted = true;
            VipsWarnings.Install();
            Volatile.Write(ref configured, true);
        }
    }
}
