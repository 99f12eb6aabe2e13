using System.Text;

namespace MultiModalSearch.Core.Answers;

/// <summary>
/// Checks the citations of a streamed answer as it arrives. A citation is <c>[n]</c> or <c>[n, m, ...]</c>; numbers
/// outside 1..<c>sourceCount</c> were never given to the model, so they are cut out of the text (a bracket left empty
/// goes entirely, with the spaces before it) and reported in <see cref="Removed"/>. Text that might still become a
/// citation (an open bracket with digits, spaces before it) is held back until it is decided, so what
/// <see cref="Push"/> returns never shows a citation that is later removed.
/// </summary>
public sealed class CitationFilter(int sourceCount)
{
    /// <summary>An open bracket longer than this is plain text, not a citation still arriving.</summary>
    private const int MaxPending = 40;

    private readonly StringBuilder held = new();
    private readonly StringBuilder pending = new();
    private readonly List<int> cited = [];
    private readonly List<int> removed = [];

    /// <summary>A citation was just cut: the spaces held before it wait to see whether text or punctuation follows.</summary>
    private bool afterRemoval;

    /// <summary>The valid source numbers cited, in order of first mention.</summary>
    public IReadOnlyList<int> Cited => cited;

    /// <summary>The numbers cited that were not given, in order of first mention.</summary>
    public IReadOnlyList<int> Removed => removed;

    /// <summary>Takes the next piece of model text; returns what can be shown now.</summary>
    public string Push(string text)
    {
        var output = new StringBuilder();
        foreach (var c in text)
        {
            Next(c, output);
        }

        return output.ToString();
    }

    /// <summary>The end of the text: whatever was held back, as plain text.</summary>
    public string Flush()
    {
        var output = new StringBuilder();
        output.Append(pending.Length > 0 || !afterRemoval ? held : "").Append(pending);
        held.Clear();
        pending.Clear();
        return output.ToString();
    }

    private void Next(char c, StringBuilder output)
    {
        if (pending.Length > 0)
        {
            if (c == ']')
            {
                pending.Append(c);
                Resolve(output);
                return;
            }

            if ((char.IsAsciiDigit(c) || c is ',' or ' ') && pending.Length < MaxPending)
            {
                pending.Append(c);
                return;
            }

            // Not a citation after all: show it as it was and read this character afresh.
            output.Append(held).Append(pending);
            held.Clear();
            pending.Clear();
            afterRemoval = false;
        }

        if (c == '[')
        {
            pending.Append(c);
        }
        else if (c is ' ' or '\t')
        {
            // After a cut citation one space is enough: "red [9] and" becomes "red and".
            if (!afterRemoval || held.Length == 0)
            {
                held.Append(c);
            }
        }
        else
        {
            // "red [9]." becomes "red.", not "red .".
            if (afterRemoval && c is '.' or ',' or ';' or ':' or '!' or '?' or ')' or '\n' or '\r')
            {
                held.Clear();
            }

            output.Append(held).Append(c);
            held.Clear();
            afterRemoval = false;
        }
    }

    private void Resolve(StringBuilder output)
    {
        var inside = pending.ToString(1, pending.Length - 2);
        var parts = inside.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Any(p => p.Length == 0 || !int.TryParse(p, out _)))
        {
            // "[]", "[ ]", "[1,,2]": brackets, not a citation.
            output.Append(held).Append(pending);
            held.Clear();
            pending.Clear();
            afterRemoval = false;
            return;
        }

        var numbers = parts.Select(int.Parse).ToList();
        var kept = numbers.Where(n => n >= 1 && n <= sourceCount).ToList();
        foreach (var n in numbers)
        {
            var list = kept.Contains(n) ? cited : removed;
            if (!list.Contains(n))
            {
                list.Add(n);
            }
        }

        if (kept.Count == 0)
        {
            // The spaces before it stay held: whether they are needed depends on what follows.
            pending.Clear();
            afterRemoval = true;
            return;
        }

        output.Append(held);
        if (kept.Count == numbers.Count)
        {
            output.Append(pending);
        }
        else
        {
            output.Append('[').AppendJoin(", ", kept).Append(']');
        }

        held.Clear();
        pending.Clear();
        afterRemoval = false;
    }
}
