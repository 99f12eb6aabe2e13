using System.CommandLine;
using MultiModalSearch.Cli.Commands;
using MultiModalSearch.Cli;

var root = new RootCommand("MultiModalSearch: embed, index and search images and texts by meaning with CLIP.")
{
    EmbedCommand.Create(),
    TokenizeCommand.Create(),
    IndexCommand.Create(),
    SearchCommand.Create(),
    StatusCommand.Create(),
    DemoCommand.Create(),
    TrainCommand.Create(),
    EvalCommand.Create(),
    GenerateCommand.Create(),
};

return await CommandRunner.RunAsync(root, args);
