using System.CommandLine;
using System.Text.Json;
using MultiModalSearch.Models.Inference;

namespace MultiModalSearch.Cli.Commands;

/// <summary><c>mms tokenize</c>: each text's token ids as the model reads them (start to end token, truncated to its length, no padding), one JSON array per line.</summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var texts = new Option<string[]>("--text", "-t") { Description = "A text to tokenize (repeatable)", Required = true };
        var command = new Command("tokenize", "Print the token ids of texts as JSON arrays, one line per text") { model, texts };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var host = await CliHost.StartAsync(new Dictionary<string, string?>(), openDatabase: false, cancellationToken);
            var resolved = await ModelDownloads.LocateAsync(host, result.GetValue(model), cancellationToken);
            var tokenizer = ModelTokenizers.Open(resolved.Directory);
            foreach (var text in result.GetValue(texts)!)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(tokenizer.Encode(text)));
            }

            return 0;
        });
        return command;
    }
}
