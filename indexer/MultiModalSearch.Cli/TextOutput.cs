using MultiModalSearch.FileSystem;

namespace MultiModalSearch.Cli;

/// <summary>How text output shows values that could break its one-line-per-item layout.</summary>
internal static class TextOutput
{
    /// <summary>
    /// A path on one line: control characters (a newline in a file name) are shown escaped, and so are bytes of a name
    /// that is not UTF-8 (<see cref="FileNames.Display"/>).
    /// </summary>
    public static string Path(string path)
    {
        path = FileNames.Display(path);
        if (!path.Any(char.IsControl))
        {
            return path;
        }

        var builder = new System.Text.StringBuilder(path.Length + 8);
        foreach (var c in path)
        {
            builder.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\\' => "\\\\",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }
}
