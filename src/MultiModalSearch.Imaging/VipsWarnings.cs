using NetVips;

namespace MultiModalSearch.Imaging;

/// <summary>
/// libvips prints its warnings ("error in tile 0 x 192") to stderr through GLib, where they interleave with a command's
/// own output and say nothing about which file they concern. They are taken off stderr here; those raised on the thread
/// of a decode that then fails are added to its error (warnings from libvips' own worker threads are dropped: the error
/// that follows them already says what went wrong).
/// </summary>
internal static class VipsWarnings
{
    private const int Kept = 3;

    // Referenced for the life of the process: libvips calls it through a native function pointer.
    private static readonly Log.LogDelegate Handler = Record;

    [ThreadStatic]
    private static List<string>? recent;

    public static void Install() =>
        Log.SetLogHandler("VIPS", Enums.LogLevelFlags.Warning | Enums.LogLevelFlags.Message | Enums.LogLevelFlags.Info | Enums.LogLevelFlags.Debug, Handler);

    /// <summary>Forgets this thread's earlier warnings before a new decode.</summary>
    public static void Clear() => recent?.Clear();

    /// <summary>" (libvips warned: ...)" for this thread's warnings since <see cref="Clear"/>; empty when there were none.</summary>
    public static string Describe() =>
        recent is { Count: > 0 } warnings ? $" (libvips warned: {string.Join("; ", warnings)})" : "";

    private static void Record(string? domain, Enums.LogLevelFlags level, string? message)
    {
        // "threadpool completed with N workers" follows every failed pipeline and says nothing about the file.
        if (string.IsNullOrWhiteSpace(message) || message.Contains("threadpool completed", StringComparison.Ordinal))
        {
            return;
        }

        var warnings = recent ??= [];
        if (warnings.Count < Kept && !warnings.Contains(message.Trim()))
        {
            warnings.Add(message.Trim());
        }
    }
}
