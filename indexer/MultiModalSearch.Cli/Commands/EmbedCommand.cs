using System.CommandLine;

namespace MultiModalSearch.Cli.Commands;

internal static class EmbedCommand
{
    public static Command Create() => new("embed", "Print L2-normalised embeddings of texts and images as JSON lines");
}
