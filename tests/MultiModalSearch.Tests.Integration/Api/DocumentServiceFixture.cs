using MultiModalSearch.Abstractions.Access;
using MultiModalSearch.Core.Access;
using MultiModalSearch.Hosting;
using MultiModalSearch.Storage.Postgres;
using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Storage;
using MultiModalSearch.Tests.Support;

namespace MultiModalSearch.Tests.Api;

/// <summary>
/// A PDF with a vector figure ingested by the real tool (`mms ingest`, bundled CLIP, the bert-tiny sentence embedder)
/// into two collections of a real PostgreSQL, "manuals" public and "private-manuals" private with a read key, and the
/// query service over them with bert-tiny as its text model and its reranker, so every retrieval stage runs.
/// </summary>
public sealed class DocumentServiceFixture : IAsyncLifetime, IDisposable
{
    public const string Public = "manuals";
    public const string Private = "private-manuals";

    private static readonly Dictionary<string, string> Offline = new() { ["HF_HUB_OFFLINE"] = "1", ["HF_ENDPOINT"] = "http://127.0.0.1:9" };

    private readonly TemporaryDirectory documents = new();
    private readonly PostgresFixture postgres = new();

    public ApiServer Api { get; private set; } = null!;

    public string ReadKey { get; private set; } = "";

    private static string TextModel => Path.Combine(AppContext.BaseDirectory, "fixtures", "bert-tiny");

    public async Task InitializeAsync()
    {
        await File.WriteAllBytesAsync(Path.Combine(documents.Path, "boxes.pdf"), TestPdfs.VectorFigure());
        await postgres.InitializeAsync();
        var url = await postgres.CreateDatabaseAsync();
        foreach (var collection in new[] { Public, Private })
        {
            var ingest = await CliProcess.RunAsync(["ingest", documents.Path, "--collection", collection, "--text-model", TextModel, "--db", url], Offline);
            Assert.True(ingest.ExitCode == 0, ingest.Stderr);
        }

        await using (var storage = await PostgresDatabase.ConnectAsync(url))
        {
            await storage.Access.SetVisibilityAsync(Private, CollectionVisibility.Private);
            ReadKey = (await new ApiKeys(storage.Access).CreateAsync(Private, ApiKeyAccess.Read)).Secret;
        }

        Api = await ApiServer.StartAsync(url, new Dictionary<string, string?>
        {
            [ConfigurationKeys.TextModel] = TextModel,
            [ConfigurationKeys.Reranker] = Path.Combine(TextModel, "reranker"),
        });
    }

    public async Task DisposeAsync()
    {
        try
        {
            // Null when InitializeAsync failed before starting it (xUnit disposes the fixture anyway).
            if (Api is not null)
            {
                await Api.DisposeAsync();
            }
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }

    public void Dispose() => documents.Dispose();
}
