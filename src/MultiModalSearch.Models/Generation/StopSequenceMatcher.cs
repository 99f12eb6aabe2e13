namespace MultiModalSearch.Models.Generation;

/// <summary>
/// Watches streamed text for stop sequences. Text that might be the start of a stop sequence is held back until it is
/// clear either way, so a stream never shows part of a stop sequence; once one appears, the text before it is released
/// and <see cref="Stopped"/> turns true.
/// </summary>
public sealed class StopSequenceMatcher(IReadOnlyList<string> stopSequences)
{
    private readonly System.Text.StringBuilder text = new();
    private int released;

    public bool Stopped { get; private set; }

    /// <summary>The part of the text so far that is now safe to show.</summary>
    public string Push(string delta)
    {
        if (Stopped)
        {
            return "";
        }

        text.Append(delta);
        var all = text.ToString();
        var stopAt = FindStop(all);
        if (stopAt >= 0)
        {
            Stopped = true;
            return Release(all, stopAt);
        }

        return Release(all, all.Length - LongestPendingPrefix(all));
    }

    /// <summary>At the end of generation: everything held back (no stop sequence completed).</summary>
    public string Flush() => Stopped ? "" : Release(text.ToString(), text.Length);

    private int FindStop(string all)
    {
        var first = -1;
        foreach (var stop in stopSequences)
        {
            var from = Math.Max(0, released - stop.Length + 1);
            var at = all.IndexOf(stop, from, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first))
            {
                first = at;
            }
        }

        return first;
    }

    /// <summary>The length of the longest end of the text that a stop sequence starts with.</summary>
    private int LongestPendingPrefix(string all)
    {
        var longest = 0;
        foreach (var stop in stopSequences)
        {
            for (var length = Math.Min(stop.Length - 1, all.Length); length > longest; length--)
            {
                if (string.CompareOrdinal(all, all.Length - length, stop, 0, length) == 0)
                {
                    longest = length;
                    break;
                }
            }
        }

        return longest;
    }

    private string Release(string all, int end)
    {
        if (end <= released)
        {
            return "";
        }

        var delta = all[released..end];
        released = end;
        return delta;
    }
}
