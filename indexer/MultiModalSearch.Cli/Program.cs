using System.CommandLine;
using MultiModalSearch.Cli;
using MultiModalSearch.Cli.Commands;

var root = new RootCommand("MultiModalSearch: embed, index and search images and texts by meaning with CLIP.")
{
    EmbedCommand.Create(),
    TokenizeCommand.Create(),
    RerankCommand.Create(),
    IndexCommand.Create(),
    IngestCommand.Create(),
    RetrieveCommand.Create(),
    EvalRetrievalCommand.Create(),
    SearchCommand.Create(),
    StatusCommand.Create(),
    DemoCommand.Create(),
    TrainCommand.Create(),
    EvalCommand.Create(),
    ServeCommand.Create(),
    CollectionCommand.Create(),
    KeysCommand.Create(),
    GenerateCommand.Create(),
    AskCommand.Create(),
    TrainLlavaCommand.Create(),
    EvalLlavaCommand.Create(),
};

return await CommandRunner.RunAsync(root, args);
