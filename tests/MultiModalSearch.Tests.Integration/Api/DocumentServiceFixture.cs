using MultiModalSearch.Abstractions.Access;
using MultiModalSearch.Core.Access;
using MultiModalSearch.Hosting;
using MultiModalSearch.Storage.Postgres;
using MultiModalSearch.Storage.Postgres.Embedded;
using MultiModalSearch.Testing;
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

    private readonly TemporaryDirectory root = new();
    private EmbeddedPostgres? server;

    public ApiServer Api { get; private set; } = null!;

    public string ReadKey { get; private set; } = "";

    private static string TextModel => Path.Combine(AppContext.BaseDirectory, "fixtures", "bert-tiny");

    public async Task InitializeAsync()
    {
        var documents = Directory.CreateDirectory(Path.Combine(root.Path, "documents")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(documents, "boxes.pdf"), TestPdfs.VectorFigure());
        server = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { DataDirectory = Path.Combine(root.Path, "pg") });
        var url = await server.CreateDatabaseAsync("documents");
        foreach (var collection in new[] { Public, Private })
        {
            var ingest = await CliProcess.RunAsync(["ingest", documents, "--collection", collection, "--text-model", TextModel, "--db", url], Offline);
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
            if (server is not null)
            {
                await server.StopAsync();
            }
        }
    }

    /// <summary>After <see cref="DisposeAsync"/> (xUnit calls both): the server has stopped, so its files can go.</summary>
    public void Dispose() => root.Dispose();
}
