using System.CommandLine;
using System.Text.Json;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Generation;
using MultiModalSearch.Models.Llava;

namespace MultiModalSearch.Cli.Commands;

/// <summary>
/// <c>mms generate</c>: continues a prompt with a LLaVA checkpoint, used as given (no chat template), one
/// <c>&lt;image&gt;</c> per --image. Streams the text as it is generated; with --json prints one object at the end.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "LLaVA checkpoint: a local folder (Hugging Face layout) or a Hub id such as llava-hf/llava-1.5-7b-hf", Required = true };
        var images = new Option<string[]>("--image", "-i") { Description = "An image for the next <image> placeholder of the prompt (repeatable, in order)" };
        var prompt = new Option<string>("--prompt", "-p") { Description = "The prompt, used as given, e.g. \"USER: <image>\\nWhat is shown? ASSISTANT:\"", Required = true };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Most tokens to generate", DefaultValueFactory = _ => 256 };
        var greedy = new Option<bool>("--greedy") { Description = "Always take the most likely token (the default)" };
        var temperature = new Option<double?>("--temperature") { Description = "Sample with this temperature (> 0)" };
        var topP = new Option<double?>("--top-p") { Description = "Sample from the most likely tokens holding this much probability (0 < p <= 1)" };
        var topK = new Option<int?>("--top-k") { Description = "Sample from the k most likely tokens" };
        var seed = new Option<int?>("--seed") { Description = "Seed for sampling: the same seed gives the same text" };
        var repetitionPenalty = new Option<double>("--repetition-penalty") { Description = "Above 1 discourages repeating tokens", DefaultValueFactory = _ => 1.0 };
        var stop = new Option<string[]>("--stop") { Description = "Stop before this text (repeatable)" };
        var device = CommonOptions.Device();
        var dtype = new Option<string>("--dtype") { Description = "auto (fp16 on CUDA, fp32 on CPU), fp32, fp16 (CUDA) or bf16", DefaultValueFactory = _ => "auto" };
        var json = new Option<bool>("--json") { Description = "Print {\"input_ids\", \"generated_ids\", \"text\"} as one JSON object instead of streaming text" };
        var command = new Command("generate", "Generate text from a prompt and images with a LLaVA model")
        {
            model, images, prompt, maxNewTokens, greedy, temperature, topP, topK, seed, repetitionPenalty, stop, device, dtype, json,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            OpenMpWaitPolicy.PreferPassive();
            var sampling = result.GetValue(temperature) is not null || result.GetValue(topP) is not null
                || result.GetValue(topK) is not null || result.GetValue(seed) is not null;
            if (sampling && result.GetValue(greedy))
            {
                throw new ArgumentException("--greedy cannot be combined with --temperature, --top-p, --top-k or --seed");
            }

            var options = new GenerationOptions
            {
                MaxNewTokens = result.GetValue(maxNewTokens),
                DoSample = sampling,
                Temperature = result.GetValue(temperature) ?? 1.0,
                TopP = result.GetValue(topP) ?? 1.0,
                TopK = result.GetValue(topK) ?? 0,
                Seed = result.GetValue(seed),
                RepetitionPenalty = result.GetValue(repetitionPenalty),
                StopSequences = result.GetValue(stop) ?? [],
            };
            options.Validate();
            var inputs = (result.GetValue(images) ?? []).Select(LlavaImage.FromFile).ToList();
            await using var host = await CliHost.StartAsync(new Dictionary<string, string?>(), openDatabase: false, cancellationToken);
            var resolved = await ModelDownloads.LocateAsync(host, result.GetValue(model), cancellationToken);
            using var session = LlavaSession.Open(resolved.Directory, ComputeOptions.Resolve(result.GetValue(device)!, result.GetValue(dtype)!, Workload.Generation));
            var text = result.GetValue(prompt)!;
            if (result.GetValue(json))
            {
                var generation = session.GenerateToEnd(text, inputs, options);
                Console.Out.WriteLine(JsonSerializer.Serialize(
                    new { input_ids = generation.InputIds, generated_ids = generation.GeneratedIds, text = generation.Text }, JsonOutput.SerializerOptions));
                return 0;
            }

            await foreach (var update in session.GenerateStreamingAsync(text, inputs, options, cancellationToken))
            {
                Console.Out.Write(update.Text);
                Console.Out.Flush();
            }

            Console.Out.WriteLine();
            return 0;
        });
        return command;
    }
}
