using System.Collections;
using System.Globalization;
using System.Text;

namespace MultiModalSearch.Models.Tokenization.ChatTemplates;

/// <summary>
/// Python semantics for template values: null (None), bool, long, double, string, lists, string-keyed dictionaries,
/// <see cref="JinjaUndefined"/> and <see cref="JinjaFunction"/>. Truthiness, equality, ordering, str() and item access.
/// </summary>
internal static class JinjaValues
{
    public static bool IsTruthy(object? value) => value switch
    {
        null or JinjaUndefined => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        ICollection c => c.Count > 0,
        _ => true,
    };

    public static new bool Equals(object? a, object? b)
    {
        if (a is JinjaUndefined || b is JinjaUndefined)
        {
            return a is JinjaUndefined && b is JinjaUndefined;
        }

        if (IsNumber(a) && IsNumber(b))
        {
            return ToDouble(a) == ToDouble(b);
        }

        return (a, b) switch
        {
            (null, null) => true,
            (null, _) or (_, null) => false,
            (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
            (IList x, IList y) => x.Count == y.Count && Enumerable.Range(0, x.Count).All(i => Equals(x[i], y[i])),
            _ => a.Equals(b),
        };
    }

    public static int Compare(object? a, object? b, int line)
    {
        if (IsNumber(a) && IsNumber(b))
        {
            return ToDouble(a).CompareTo(ToDouble(b));
        }

        if (a is string x && b is string y)
        {
            return string.CompareOrdinal(x, y);
        }

        throw new ChatTemplateException($"chat template line {line}: cannot order {TypeName(a)} and {TypeName(b)}");
    }

    public static bool IsNumber(object? value) => value is long or double || (value is bool);

    public static double ToDouble(object? value) => value switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => 0,
    };

    /// <summary>Python's str(): what <c>{{ value }}</c> prints.</summary>
    public static string ToText(object? value) => value switch
    {
        null => "None",
        JinjaUndefined => "",
        string s => s,
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FormatDouble(d),
        _ => Repr(value),
    };

    /// <summary>Python's repr(), for values printed inside lists and dictionaries.</summary>
    public static string Repr(object? value)
    {
        switch (value)
        {
            case string s:
                return "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "'";
            case IDictionary<string, object?> dictionary:
                return "{" + string.Join(", ", dictionary.Select(p => Repr(p.Key) + ": " + Repr(p.Value))) + "}";
            case IList list:
                var builder = new StringBuilder("[");
                for (var i = 0; i < list.Count; i++)
                {
                    builder.Append(i > 0 ? ", " : "").Append(Repr(list[i]));
                }

                return builder.Append(']').ToString();
            default:
                return ToText(value);
        }
    }

    public static string TypeName(object? value) => value switch
    {
        null => "None",
        JinjaUndefined u => $"undefined '{u.Name}'",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        IDictionary => "dict",
        IList => "list",
        JinjaFunction => "function",
        _ => value.GetType().Name,
    };

    /// <summary><c>value[key]</c>: dictionary keys, list and string indices (negative from the end); missing gives undefined.</summary>
    public static object? GetItem(object? value, object? key, int line)
    {
        switch (value)
        {
            case IDictionary<string, object?> dictionary when key is string name:
                return dictionary.TryGetValue(name, out var item) ? item : new JinjaUndefined(name);
            case IList list when key is long index:
                var i = index < 0 ? index + list.Count : index;
                return i >= 0 && i < list.Count ? list[(int)i] : new JinjaUndefined($"[{index}]");
            case string text when key is long index:
                var j = index < 0 ? index + text.Length : index;
                return j >= 0 && j < text.Length ? text[(int)j].ToString() : new JinjaUndefined($"[{index}]");
            case JinjaUndefined undefined:
                throw new ChatTemplateException($"chat template line {line}: '{undefined.Name}' is undefined, so it has no item {Repr(key)}");
            default:
                return new JinjaUndefined(ToText(key));
        }
    }

    /// <summary>Python slicing <c>value[start:stop:step]</c> of a list or string.</summary>
    public static object? Slice(object? value, long? start, long? stop, long? step, int line)
    {
        var count = value switch
        {
            IList list => list.Count,
            string text => text.Length,
            _ => throw new ChatTemplateException($"chat template line {line}: cannot slice {TypeName(value)}"),
        };
        var stride = step ?? 1;
        if (stride == 0)
        {
            throw new ChatTemplateException($"chat template line {line}: slice step cannot be zero");
        }

        var indices = new List<int>();
        long Clamp(long? bound, long fallback, long low, long high)
        {
            if (bound is not { } b)
            {
                return fallback;
            }

            b = b < 0 ? b + count : b;
            return Math.Clamp(b, low, high);
        }

        if (stride > 0)
        {
            for (var i = Clamp(start, 0, 0, count); i < Clamp(stop, count, 0, count); i += stride)
            {
                indices.Add((int)i);
            }
        }
        else
        {
            for (var i = Clamp(start, count - 1, -1, count - 1); i > Clamp(stop, -1, -1, count - 1); i += stride)
            {
                indices.Add((int)i);
            }
        }

        return value is string s
            ? string.Concat(indices.Select(i => s[i]))
            : indices.Select(i => ((IList)value!)[i]).ToList();
    }

    /// <summary>What a for loop walks: list items, dictionary keys, string characters.</summary>
    public static List<object?> Iterate(object? value, int line) => value switch
    {
        IDictionary<string, object?> dictionary => dictionary.Keys.Cast<object?>().ToList(),
        IList list => list.Cast<object?>().ToList(),
        string text => text.Select(c => (object?)c.ToString()).ToList(),
        JinjaUndefined => [],
        _ => throw new ChatTemplateException($"chat template line {line}: cannot iterate over {TypeName(value)}"),
    };

    private static string FormatDouble(double d)
    {
        if (double.IsInfinity(d))
        {
            return d > 0 ? "inf" : "-inf";
        }

        var text = d.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) || double.IsNaN(d) ? text : text + ".0";
    }
}
