using System.Text;
using MultiModalSearch.Abstractions.Assets;

namespace MultiModalSearch.Core.Inspection;

/// <summary>
/// Turns a file name into words for keyword search: "summerBeach_2019-08.jpg" becomes
/// "summer Beach 2019 08". Full-text search tokenises on spaces, so "beach" only matches once
/// the name is split at separators, camelCase humps and letter/digit boundaries.
/// </summary>
internal static class FileNameWords
{
    public static AssetText For(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string name = Path.GetFileNameWithoutExtension(path);
        if (name.Length == 0)
            name = Path.GetFileName(path); // ".hidden": the dot-name is all there is
        return new AssetText(TextItemKind.Filename, Split(name));
    }

    internal static string Split(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (int i = 0; i < name.Length; i++)
        {
            char c = IsSeparator(name[i]) ? ' ' : name[i];
            if (c != ' ' && i > 0 && IsWordBoundary(name, i))
                sb.Append(' ');
            sb.Append(c);
        }
        return MetadataText.CollapseWhitespace(sb.ToString());
    }

    private static bool IsSeparator(char c) => c is '_' or '-' or '.' || char.IsWhiteSpace(c);

    /// <summary>
    /// A new word starts at a lower-to-upper hump ("myPhoto"), at the last capital of an acronym
    /// followed by lower case ("HDRPhoto" -> "HDR Photo") and where letters meet digits.
    /// </summary>
    private static bool IsWordBoundary(string s, int i)
    {
        char prev = s[i - 1], cur = s[i];
        if (char.IsLower(prev) && char.IsUpper(cur))
            return true;
        if (char.IsUpper(prev) && char.IsUpper(cur) && i + 1 < s.Length && char.IsLower(s[i + 1]))
            return true;
        return (char.IsLetter(prev) && char.IsDigit(cur)) || (char.IsDigit(prev) && char.IsLetter(cur));
    }
}
