namespace MultiModalSearch.Models.Generation;

/// <summary>
/// Turns generated ids into text deltas as they arrive, such that the deltas concatenate to the decoding of all ids.
/// A character split over byte-fallback tokens is held back until its last byte arrives (decoders show the missing
/// bytes as U+FFFD until then), so a stream never shows half a character.
/// </summary>
public sealed class IncrementalDetokenizer(Func<IReadOnlyList<int>, string> decode)
{
    private readonly List<int> ids = [];
    private int emitted;

    public IReadOnlyList<int> Ids => ids;

    /// <summary>The text this token adds that can be shown now (possibly empty).</summary>
    public string Add(int id)
    {
        ids.Add(id);
        var text = decode(ids);
        var ready = text.Length;
        while (ready > emitted && text[ready - 1] == '\uFFFD')
        {
            ready--;
        }

        return Take(text, ready);
    }

    /// <summary>Whatever is still held back (a trailing invalid byte sequence shows as U+FFFD).</summary>
    public string Flush()
    {
        var text = decode(ids);
        return Take(text, text.Length);
    }

    private string Take(string text, int end)
    {
        if (end <= emitted)
        {
            return "";
        }

        var delta = text[emitted..end];
        emitted = end;
        return delta;
    }
}
