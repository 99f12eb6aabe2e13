using Microsoft.Extensions.DependencyInjection;
using MultiModalSearch.Abstractions.Access;
using MultiModalSearch.Abstractions.DocumentRetrieval;
using MultiModalSearch.Core.Access;
using MultiModalSearch.Storage.Postgres;
using MultiModalSearch.Testing;
using MultiModalSearch.Testing.Answers;
using MultiModalSearch.Tests.Api;
using MultiModalSearch.Tests.Storage;

namespace MultiModalSearch.Tests.Answers;

/// <summary>
/// The real service (real HTTP, real PostgreSQL for collections and keys) with the llava-tiny fixture as its in-process
/// model, and a scripted document retriever standing in for document retrieval (its passages and figure are the
/// illustrated sample's): questions mentioning the world cup find nothing above the floor.
/// "illustrated" is public; "private-docs" is private with a read key.
/// </summary>
public sealed class AnswerServiceFixture : IAsyncLifetime
{
    public const string Public = SampleSources.Collection;
    public const string Private = "private-docs";
    public const string ModelId = "llava-tiny";

    private readonly PostgresFixture postgres = new();

    public ApiServer Api { get; private set; } = null!;

    public string ReadKey { get; private set; } = "";

    public byte[] Crop { get; } = SampleSources.OctopusCrop();

    public ScriptedDocumentRetriever Retriever { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await postgres.InitializeAsync();
        var url = await postgres.CreateDatabaseAsync();
        await using (var storage = await PostgresDatabase.ConnectAsync(url))
        {
            await storage.Collections.OpenAsync(Public, "synthetic", 4);
            await storage.Collections.OpenAsync(Private, "synthetic", 4);
            await storage.Access.SetVisibilityAsync(Private, CollectionVisibility.Private);
            ReadKey = (await new ApiKeys(storage.Access).CreateAsync(Private, ApiKeyAccess.Read)).Secret;
        }

        Retriever = new ScriptedDocumentRetriever(
            q => q.Question.Contains("world cup", StringComparison.OrdinalIgnoreCase)
                ? new DocumentRetrievalResult([], BelowFloor: true, ["full-text", "embedder", "reranker"])
                : SampleSources.Found(),
            new Dictionary<long, byte[]> { [SampleSources.HarbourFigure.Id] = Crop });
        Api = await ApiServer.StartAsync(url, new Dictionary<string, string?> { ["Llm:Model"] = LlavaTinyFixture.Directory },
            services => services.AddSingleton<IDocumentRetriever>(Retriever));
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
}
