using System.CommandLine;

namespace MultiModalSearch.Cli.Commands;

internal static class TokenizeCommand
{
    public static Command Create() => new("tokenize", "Print the token ids of texts as JSON arrays");
}
