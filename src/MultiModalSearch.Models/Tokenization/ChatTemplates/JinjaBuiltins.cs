using System.Collections;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MultiModalSearch.Models.Tokenization.ChatTemplates;

/// <summary>
/// The filters, tests, string/dict methods and globals chat templates use. Anything else fails with a message naming
/// it, rather than rendering a prompt that silently differs from the reference.
/// </summary>
internal static class JinjaBuiltins
{
    public const string SupportedFilters =
        "upper, lower, title, capitalize, trim, length/count, first, last, join, list, string, int, float, default/d, " +
        "selectattr, rejectattr, map(attribute=), reverse, replace, tojson, safe, items";

    public const string SupportedTests = "defined, undefined, none, string, number, integer, float, boolean, mapping, " +
        "sequence, iterable, true, false, equalto/eq/==, ne/!=, odd, even, in";

    public const string SupportedMethods = "str.upper/lower/strip/lstrip/rstrip/title/capitalize/startswith/endswith/split/replace, " +
        "dict.items/keys/values/get";

    public static IReadOnlyDictionary<string, object?> Globals { get; } = new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["raise_exception"] = (JinjaFunction)((arguments, _) =>
            throw new ChatTemplateException($"the chat template refused the conversation: {(arguments.Count > 0 ? JinjaValues.ToText(arguments[0]) : "")}")),
        ["namespace"] = (JinjaFunction)((_, keywords) =>
        {
            var space = new JinjaNamespace();
            foreach (var (key, value) in keywords)
            {
                space[key] = value;
            }

            return space;
        }),
        ["range"] = (JinjaFunction)((arguments, _) =>
        {
            var numbers = arguments.Select(a => (long)JinjaValues.ToDouble(a)).ToArray();
            var (start, stop, step) = numbers.Length switch
            {
                1 => (0L, numbers[0], 1L),
                2 => (numbers[0], numbers[1], 1L),
                _ => (numbers[0], numbers[1], numbers[2]),
            };
            var values = new List<object?>();
            for (var i = start; step > 0 ? i < stop : i > stop; i += step)
            {
                values.Add(i);
            }

            return values;
        }),
    };

    public static object? Filter(string name, object? value, IReadOnlyList<object?> arguments, IReadOnlyDictionary<string, object?> keywords, int line)
    {
        object? Argument(int index, string keyword, object? fallback) =>
            index < arguments.Count ? arguments[index] : keywords.TryGetValue(keyword, out var v) ? v : fallback;

        return name switch
        {
            "upper" => Text(value).ToUpperInvariant(),
            "lower" => Text(value).ToLowerInvariant(),
            "title" => Title(Text(value)),
            "capitalize" => Capitalize(Text(value)),
            "trim" => Text(value).Trim(),
            "length" or "count" => (long)Length(value, line),
            "first" => JinjaValues.Iterate(value, line).FirstOrDefault(new JinjaUndefined("first")),
            "last" => JinjaValues.Iterate(value, line).LastOrDefault(new JinjaUndefined("last")),
            "join" => string.Join(Text(Argument(0, "d", "")), JinjaValues.Iterate(value, line).Select(JinjaValues.ToText)),
            "list" => JinjaValues.Iterate(value, line),
            "string" or "safe" => JinjaValues.ToText(value),
            "int" => value is string s ? (long.TryParse(s.Trim(), CultureInfo.InvariantCulture, out var l) ? l : 0L) : (long)JinjaValues.ToDouble(value),
            "float" => value is string f ? (double.TryParse(f.Trim(), CultureInfo.InvariantCulture, out var d) ? d : 0.0) : JinjaValues.ToDouble(value),
            "default" or "d" => value is JinjaUndefined || (JinjaValues.IsTruthy(Argument(1, "boolean", false)) && !JinjaValues.IsTruthy(value))
                ? Argument(0, "default_value", "") : value,
            "selectattr" or "rejectattr" => SelectAttribute(value, arguments, name == "selectattr", line),
            "map" => keywords.TryGetValue("attribute", out var attribute)
                ? JinjaValues.Iterate(value, line).Select(item => JinjaValues.GetItem(item, attribute, line)).ToList()
                : throw Unsupported($"the map filter without attribute=", line),
            "reverse" => value is string r ? new string(r.Reverse().ToArray()) : Enumerable.Reverse(JinjaValues.Iterate(value, line)).ToList(),
            "replace" => Text(value).Replace(Text(Argument(0, "old", "")), Text(Argument(1, "new", "")), StringComparison.Ordinal),
            "tojson" => ToJson(value, keywords.TryGetValue("indent", out var indent) ? (int)JinjaValues.ToDouble(indent) : null),
            "items" => Items(value, line),
            _ => throw Unsupported($"the filter '{name}' (supported: {SupportedFilters})", line),
        };
    }

    public static bool Test(string name, object? value, IReadOnlyList<object?> arguments, int line) => name switch
    {
        "defined" => value is not JinjaUndefined,
        "undefined" => value is JinjaUndefined,
        "none" => value is null,
        "string" => value is string,
        "number" => value is long or double,
        "integer" => value is long,
        "float" => value is double,
        "boolean" => value is bool,
        "true" => value is true,
        "false" => value is false,
        "mapping" => value is IDictionary,
        "sequence" or "iterable" => value is IList or string or IDictionary,
        "equalto" or "eq" or "==" or "sameas" => arguments.Count == 1 && JinjaValues.Equals(value, arguments[0]),
        "ne" or "!=" => arguments.Count == 1 && !JinjaValues.Equals(value, arguments[0]),
        "odd" => (long)JinjaValues.ToDouble(value) % 2 != 0,
        "even" => (long)JinjaValues.ToDouble(value) % 2 == 0,
        "in" => arguments.Count == 1 && Contains(arguments[0], value, line),
        _ => throw Unsupported($"the test '{name}' (supported: {SupportedTests})", line),
    };

    /// <summary><c>value.name</c>: a method of strings and dictionaries, else the key of a dictionary.</summary>
    public static object? Attribute(object? value, string name, int line)
    {
        switch (value)
        {
            case string text when StringMethod(text, name) is { } method:
                return method;
            case JinjaNamespace space:
                return space.TryGetValue(name, out var member) ? member : new JinjaUndefined(name);
            case IDictionary<string, object?> dictionary when DictionaryMethod(dictionary, name, line) is { } method:
                return method;
            case IDictionary<string, object?>:
                return JinjaValues.GetItem(value, name, line);
            case JinjaUndefined undefined:
                throw new ChatTemplateException($"chat template line {line}: '{undefined.Name}' is undefined, so it has no attribute '{name}'");
            case string:
                throw Unsupported($"the string method '{name}' (supported: {SupportedMethods})", line);
            default:
                return new JinjaUndefined(name);
        }
    }

    public static bool Contains(object? container, object? item, int line) => container switch
    {
        string text when item is string part => text.Contains(part, StringComparison.Ordinal),
        IDictionary<string, object?> dictionary => item is string key && dictionary.ContainsKey(key),
        IList list => list.Cast<object?>().Any(element => JinjaValues.Equals(element, item)),
        JinjaUndefined => false,
        _ => throw new ChatTemplateException($"chat template line {line}: cannot look for a value in {JinjaValues.TypeName(container)}"),
    };

    private static JinjaFunction? StringMethod(string text, string name) => name switch
    {
        "upper" => (_, _) => text.ToUpperInvariant(),
        "lower" => (_, _) => text.ToLowerInvariant(),
        "strip" => (a, _) => a.Count > 0 && a[0] is string chars ? text.Trim(chars.ToCharArray()) : text.Trim(),
        "lstrip" => (a, _) => a.Count > 0 && a[0] is string chars ? text.TrimStart(chars.ToCharArray()) : text.TrimStart(),
        "rstrip" => (a, _) => a.Count > 0 && a[0] is string chars ? text.TrimEnd(chars.ToCharArray()) : text.TrimEnd(),
        "title" => (_, _) => Title(text),
        "capitalize" => (_, _) => Capitalize(text),
        "startswith" => (a, _) => a.Count > 0 && text.StartsWith(Text(a[0]), StringComparison.Ordinal),
        "endswith" => (a, _) => a.Count > 0 && text.EndsWith(Text(a[0]), StringComparison.Ordinal),
        "split" => (a, _) => (a.Count > 0 && a[0] is string separator
            ? text.Split(separator)
            : text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Select(p => (object?)p).ToList(),
        "replace" => (a, _) => a.Count >= 2 ? text.Replace(Text(a[0]), Text(a[1]), StringComparison.Ordinal) : text,
        _ => null,
    };

    private static JinjaFunction? DictionaryMethod(IDictionary<string, object?> dictionary, string name, int line) => name switch
    {
        "items" => (_, _) => Items(dictionary, line),
        "keys" => (_, _) => dictionary.Keys.Cast<object?>().ToList(),
        "values" => (_, _) => dictionary.Values.ToList(),
        "get" => (a, _) => a.Count > 0 && a[0] is string key && dictionary.TryGetValue(key, out var v) ? v : a.Count > 1 ? a[1] : null,
        _ => null,
    };

    private static List<object?> Items(object? value, int line) => value is IDictionary<string, object?> dictionary
        ? dictionary.Select(p => (object?)new List<object?> { p.Key, p.Value }).ToList()
        : throw new ChatTemplateException($"chat template line {line}: items() needs a dict, not {JinjaValues.TypeName(value)}");

    /// <summary><c>selectattr('type', 'equalto', 'image')</c>, or with one argument the attribute's truthiness.</summary>
    private static List<object?> SelectAttribute(object? value, IReadOnlyList<object?> arguments, bool keep, int line)
    {
        if (arguments.Count == 0 || arguments[0] is not string attribute)
        {
            throw new ChatTemplateException($"chat template line {line}: selectattr/rejectattr need an attribute name");
        }

        var test = arguments.Count > 1 ? Text(arguments[1]) : null;
        var testArguments = arguments.Skip(2).ToList();
        return JinjaValues.Iterate(value, line).Where(item =>
        {
            var field = item is IDictionary<string, object?> ? JinjaValues.GetItem(item, attribute, line) : new JinjaUndefined(attribute);
            var passes = test is null ? JinjaValues.IsTruthy(field) : Test(test, field, testArguments, line);
            return passes == keep;
        }).ToList();
    }

    private static int Length(object? value, int line) => value switch
    {
        string text => text.Length,
        ICollection collection => collection.Count,
        JinjaUndefined => 0,
        _ => throw new ChatTemplateException($"chat template line {line}: {JinjaValues.TypeName(value)} has no length"),
    };

    private static string Text(object? value) => JinjaValues.ToText(value);

    private static string Title(string text)
    {
        var chars = text.ToCharArray();
        var startOfWord = true;
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = startOfWord ? char.ToUpperInvariant(chars[i]) : char.ToLowerInvariant(chars[i]);
            startOfWord = !char.IsLetterOrDigit(chars[i]);
        }

        return new string(chars);
    }

    private static string Capitalize(string text) =>
        text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..].ToLowerInvariant();

    /// <summary>Python's json.dumps as Jinja's tojson calls it (non-ASCII kept, ", " and ": " separators without indent).</summary>
    private static readonly JsonSerializerOptions CompactJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions IndentedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };

    private static string ToJson(object? value, int? indent)
    {
        var json = JsonSerializer.Serialize(ToPlain(value), indent is > 0 ? IndentedJson : CompactJson);
        return indent is > 0 ? json : CompactToPython(json);
    }

    private static object? ToPlain(object? value) => value switch
    {
        JinjaUndefined => null,
        IDictionary<string, object?> dictionary => dictionary.ToDictionary(p => p.Key, p => ToPlain(p.Value)),
        IList list => list.Cast<object?>().Select(ToPlain).ToList(),
        _ => value,
    };

    /// <summary>System.Text.Json writes {"a":1,"b":2}; Python writes {"a": 1, "b": 2}. Adds the spaces outside strings.</summary>
    private static string CompactToPython(string json)
    {
        var builder = new System.Text.StringBuilder(json.Length + 16);
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            builder.Append(c);
            if (inString)
            {
                if (c == '\\')
                {
                    builder.Append(json[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c is ',' or ':')
            {
                builder.Append(' ');
            }
        }

        return builder.ToString();
    }

    private static ChatTemplateException Unsupported(string what, int line) =>
        new($"chat template line {line} uses {what}, which this renderer does not support; see docs/llava.md for the supported Jinja subset");
}
