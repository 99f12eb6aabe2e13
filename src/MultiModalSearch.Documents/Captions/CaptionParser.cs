using System.Text.RegularExpressions;
using MultiModalSearch.Abstractions.Documents;

namespace MultiModalSearch.Documents.Captions;

/// <summary>
/// Recognises numbered captions: "Figure 3: ...", "Fig. 3. ...", "Table 2", "Table 2 — ...", "图 3 ...", "表 1：...".
/// A label and number followed by running text without a separator ("Figure 3 shows ...") is a reference in body text,
/// not a caption.
/// </summary>
internal static partial class CaptionParser
{
    [GeneratedRegex(@"^\s*(?<label>Figure|FIGURE|Fig\.?|FIG\.?|Table|TABLE|Tab\.|Listing|图|圖|表)\s*(?<number>\d+(?:[.\-]\d+)*[a-z]?)(?<rest>.*)$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^\s*(?:[:.：．]|[—–]|-\s|\|)", RegexOptions.CultureInvariant)]
    private static partial Regex Separator();

    [GeneratedRegex(@"^\s*\((?<letter>[a-z]|[ivx]+)\)\s+\S", RegexOptions.CultureInvariant)]
    private static partial Regex SubCaptionPattern();

    public static bool IsCaptionStart(string text) => TryParse(text, out _, out _);

    /// <summary>Label ("Figure" or "Table", "Listing") and number of a caption, or false.</summary>
    public static bool TryParse(string text, out string label, out string number)
    {
        label = number = "";
        var match = Pattern().Match(text);
        if (!match.Success)
            return false;
        string rawLabel = match.Groups["label"].Value;
        string rest = match.Groups["rest"].Value;
        bool cjk = rawLabel is "图" or "圖" or "表";
        bool caption = string.IsNullOrWhiteSpace(rest) || Separator().IsMatch(rest) || (cjk && rest.Length > 0 && char.IsWhiteSpace(rest[0]));
        if (!caption)
            return false;
        label = Normalise(rawLabel);
        number = match.Groups["number"].Value;
        return true;
    }

    /// <summary>"(a) Source profiles ...": one part of a figure that shares its caption with others.</summary>
    public static bool IsSubCaption(string text) => SubCaptionPattern().IsMatch(text);

    public static DocumentCaption? Parse(string text, int itemIndex, Provenance provenance) =>
        TryParse(text, out string label, out string number) ? new DocumentCaption(label, number, text.Trim(), itemIndex, provenance) : null;

    private static string Normalise(string label) => label.TrimEnd('.').ToUpperInvariant() switch
    {
        "FIGURE" or "FIG" or "图" or "圖" => "Figure",
        "TABLE" or "TAB" or "表" => "Table",
        _ => "Listing",
    };
}
