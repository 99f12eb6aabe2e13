using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;

namespace MultiModalSearch.Cli.Commands;

/// <summary><c>mms embed</c>: one JSON line per input, in command-line order, with the embedding (L2-normalised for
/// image-text models; as its pooling and normalisation settings ask for a sentence embedder) or an error.</summary>
internal static class EmbedCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var texts = new Option<string[]>("--text", "-t") { Description = "A text to embed (repeatable)", AllowMultipleArgumentsPerToken = false };
        var images = new Option<string[]>("--image", "-i") { Description = "An image file to embed (repeatable)" };
        var device = CommonOptions.Device();
        var dtype = CommonOptions.DType();
        var batchSize = CommonOptions.PositiveCount("--batch-size", "Inputs per model call (default: 32 on CPU, 256 on CUDA)");
        var workers = CommonOptions.PositiveCount("--workers", "Parallel image decoders (default: half the cores on CPU, all on CUDA)");
        var command = new Command("embed", "Print embeddings of texts and images as JSON lines, in input order (images need an image-text model)")
        {
            model, texts, images, device, dtype, batchSize, workers,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var inputs = InputsInOrder(result, texts, images);
            if (inputs.Count == 0)
            {
                throw new CliUsageException("give at least one --text or --image");
            }

            await using var host = await CliHost.StartAsync(new Dictionary<string, string?>(), openDatabase: false, cancellationToken);
            var resolved = await ModelDownloads.LocateAsync(host, result.GetValue(model), cancellationToken);
            using var session = EmbeddingModels.Open(resolved.Directory, ComputeOptions.Resolve(result.GetValue(device)!, result.GetValue(dtype)!));
            var pipelineOptions = new PipelineOptions { BatchSize = result.GetValue(batchSize), Workers = result.GetValue(workers) };
            return await WriteAsync(session, inputs, pipelineOptions, cancellationToken);
        });
        return command;
    }

    private static async Task<int> WriteAsync(IEmbeddingModel session, List<(bool IsText, string Value)> inputs, PipelineOptions options, CancellationToken cancellationToken)
    {
        var resolved = options.Resolve(session.Compute);
        var textValues = inputs.Where(i => i.IsText).Select(i => i.Value).ToList();
        var textEmbeddings = new Queue<float[]>(session.EmbedTexts(textValues, resolved.BatchSize));
        var imageValues = inputs.Where(i => !i.IsText).Select(i => i.Value).ToList();
        var imageResults = (imageValues.Count == 0 ? AsyncEnumerable.Empty<EmbeddingResult<string>>() : session.CreateImagePipeline(options).RunAsync(imageValues, cancellationToken))
            .GetAsyncEnumerator(cancellationToken);
        var failures = 0;
        using var stdout = Console.OpenStandardOutput();
        try
        {
            foreach (var (isText, value) in inputs)
            {
                if (isText)
                {
                    WriteLine(stdout, value, "text", textEmbeddings.Dequeue(), null);
                    continue;
                }

                await imageResults.MoveNextAsync();
                var image = imageResults.Current;
                failures += image.Succeeded ? 0 : 1;
                WriteLine(stdout, value, "image", image.Embedding, image.Error);
            }
        }
        finally
        {
            await imageResults.DisposeAsync();
        }

        if (failures > 0)
        {
            Console.Error.WriteLine($"error: {failures} of {inputs.Count} inputs could not be embedded");
        }

        return failures > 0 ? 1 : 0;
    }

    private static void WriteLine(Stream stdout, string input, string kind, float[]? embedding, string? error)
    {
        using (var writer = new Utf8JsonWriter(stdout, JsonOutput.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("input", input);
            writer.WriteString("kind", kind);
            if (embedding is not null)
            {
                writer.WriteStartArray("embedding");
                foreach (var value in embedding)
                {
                    writer.WriteNumberValue(value);
                }

                writer.WriteEndArray();
            }
            else
            {
                writer.WriteString("error", error);
            }

            writer.WriteEndObject();
        }

        stdout.WriteByte((byte)'\n');
        stdout.Flush();
    }

    /// <summary>--text and --image values in the order they were typed, which the option lists alone lose.</summary>
    private static List<(bool IsText, string Value)> InputsInOrder(ParseResult result, Option<string[]> texts, Option<string[]> images)
    {
        var ordered = new List<(bool, string)>();
        var textQueue = new Queue<string>(result.GetValue(texts) ?? []);
        var imageQueue = new Queue<string>(result.GetValue(images) ?? []);
        foreach (var token in result.Tokens.Where(t => t.Type == TokenType.Option))
        {
            if (texts.Name == token.Value || texts.Aliases.Contains(token.Value))
            {
                ordered.Add((true, textQueue.Dequeue()));
            }
            else if (images.Name == token.Value || images.Aliases.Contains(token.Value))
            {
                ordered.Add((false, imageQueue.Dequeue()));
            }
        }

        return ordered;
    }
}
