using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Storage;
using MultiModalSearch.Tests.Support;

namespace MultiModalSearch.Tests.Cli;

/// <summary>
/// Every bad argument is refused by the real tool with a non-zero exit and one line that says what is wrong in the
/// tool's own terms: no .NET wording, no raw PostgreSQL error, no stack trace.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CommandLineRefusalTests(PostgresFixture fixture) : IDisposable
{
    private const string Db = "{db}";
    private const string Empty = "{empty}";
    private const string Folder = "{folder}";
    private const string Fifo = "{fifo}";
    private const string BadConfig = "{bad-config}";
    private readonly TemporaryDirectory scratch = new();

    public static TheoryData<string, string[], int, string> Refusals => new()
    {
        { "blank text", ["search", "--db", Db, "--text", "   "], 2, "error: --text is empty" },
        { "empty text", ["search", "--db", Db, "--text", ""], 2, "error: --text is empty" },
        { "zero batch size", ["index", Folder, "--batch-size", "0"], 2, "error: --batch-size must be at least 1 (got 0)" },
        { "negative workers", ["index", Folder, "--workers", "-2"], 2, "error: --workers must be at least 1 (got -2)" },
        { "zero embed batch", ["embed", "--text", "x", "--batch-size", "0"], 2, "error: --batch-size must be at least 1 (got 0)" },
        { "negative failures", ["status", "--db", Db, "--failures", "-1"], 2, "error: --failures must be zero or more (got -1)" },
        { "empty collection", ["search", "--collection", "", "--text", "x"], 2, "error: --collection must be a name of 1 to 200 characters" },
        { "long collection", ["status", "--collection", new string('c', 201)], 2, "error: --collection must be a name of 1 to 200 characters (got 201 characters)" },
        { "image is a folder", ["search", "--db", Db, "--image", Folder], 2, "error: --image " },
        { "image is a fifo", ["search", "--db", Db, "--image", Fifo], 2, "error: --image: Cannot decode image" },
        { "malformed db", ["status", "--db", "this is not a database"], 2, "error: the database address is neither a postgres://" },
        { "unknown host", ["status", "--db", "postgres://mms:mms@no-such-host.invalid:5432/mms"], 1, "error: cannot reach the database (no-such-host.invalid:5432/mms)" },
        { "unparseable config.json", ["embed", "--model", BadConfig, "--text", "x"], 1, "error: " + BadConfig + "/config.json is not valid JSON" },
        { "nothing supported to index", ["index", Empty, "--db", Db], 2, "error: nothing to index in " + Empty + ": no supported image files" },
        { "missing path", ["index", "/no/such/folder", "--db", Db], 2, "error: no such file or folder: /no/such/folder" },
        { "both text and image", ["search", "--text", "x", "--image", "y.jpg"], 2, "error: give exactly one of --text or --image" },
        { "non-number k", ["search", "--text", "x", "-k", "many"], 2, "error: -k expects a whole number (got 'many')" },
        { "k out of range", ["search", "--db", Db, "--collection", "nope", "--text", "x", "-k", "5000"], 2, "error: --k must be between 1 and 1000 (got 5000)" },
        { "unknown command", ["frobnicate"], 2, "error: Unrecognized command or argument 'frobnicate'" },
        { "delete without confirmation", ["collection", "delete", "photos", "--db", Db], 2, "error: deleting 'photos' removes every path, embedding and API key it has; add --yes to confirm" },
        { "delete a missing collection", ["collection", "delete", "nope", "--yes", "--db", Db], 2, "error: no collection 'nope' in " },
        { "zero rerank batch", ["rerank", "--model", "x", "--query", "q", "--passage", "p", "--batch-size", "0"], 2, "error: --batch-size must be at least 1 (got 0)" },
        { "unknown collection", ["status", "--db", Db, "--collection", "no-such-collection"], 2, "error: no collection 'no-such-collection' in " },
        { "shard with prune", ["index", Folder, "--shard", "0/2", "--prune"], 2, "error: --prune needs the whole archive" },
        { "bad shard", ["index", Folder, "--shard", "3/2"], 2, "error: --shard index must be in 0..1: shards are numbered from 0 (got '3/2')" },
        { "bad dtype", ["embed", "--text", "x", "--dtype", "fp8"], 2, "error: --dtype must be auto, fp32, fp16 or bf16 (got 'fp8')" },
        { "bad device", ["embed", "--text", "x", "--device", "tpu"], 2, "error: --device must be auto, cpu, cuda or cuda:N (got 'tpu')" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task IsRefusedWithOneClearLine(string why, string[] arguments, int exitCode, string message)
    {
        var database = await fixture.SharedDatabaseAsync(nameof(CommandLineRefusalTests));
        var args = arguments.Select(a => Substitute(a, database)).ToList();
        if (!args.Contains("--model") && args[0] is "embed")
        {
            args.AddRange(["--model", ClipTinyFixture.Directory]);
        }

        var (code, stdout, stderr) = await CliProcess.RunAsync(args);

        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(code == exitCode, $"{why}: exit {code}, expected {exitCode}\n{stderr}");
        Assert.True(lines.Length == 1, $"{why}: expected one line on stderr, got:\n{stderr}");
        Assert.StartsWith(Substitute(message, database), lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter '", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task AQueryLongerThanTheModelReadsIsSearchedAndTheTruncationIsSaid()
    {
        var database = await fixture.SharedDatabaseAsync(nameof(CommandLineRefusalTests));
        var folder = Substitute(Folder, database);
        var indexed = await CliProcess.RunAsync(["index", folder, "--db", database, "--collection", "long-query", "--model", ClipTinyFixture.Directory]);
        Assert.True(indexed.ExitCode == 0, indexed.Stderr);

        var (code, stdout, stderr) = await CliProcess.RunAsync(
            ["search", "--db", database, "--collection", "long-query", "--text", string.Join(' ', Enumerable.Repeat("red square", 60)), "-k", "1"]);

        Assert.True(code == 0, stderr);
        Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("note: the query is 122 tokens long and the model reads only the first 77", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => scratch.Dispose();

    private string Substitute(string argument, string database)
    {
        var folder = scratch.File("photos");
        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, "one.png"), IndexingJobTestImages.Png(1));
            Directory.CreateDirectory(scratch.File("empty"));
            File.WriteAllText(scratch.File("empty/notes.txt"), "no images here");
            RawNames.MakeFifo(scratch.File("pipe.jpg"));
            var config = scratch.File("bad-model");
            Directory.CreateDirectory(config);
            foreach (var file in Directory.EnumerateFiles(ClipTinyFixture.Directory))
            {
                File.Copy(file, Path.Combine(config, Path.GetFileName(file)));
            }

            File.WriteAllText(Path.Combine(config, "config.json"), "{ \"projection_dim\": ");
        }

        return argument
            .Replace(Db, database, StringComparison.Ordinal)
            .Replace(Empty, scratch.File("empty"), StringComparison.Ordinal)
            .Replace(Folder, folder, StringComparison.Ordinal)
            .Replace(Fifo, scratch.File("pipe.jpg"), StringComparison.Ordinal)
            .Replace(BadConfig, scratch.File("bad-model"), StringComparison.Ordinal);
    }
}
