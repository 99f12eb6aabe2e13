using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MultiModalSearch.Abstractions.Access;
using MultiModalSearch.Abstractions.Assets;
using MultiModalSearch.Abstractions.DocumentRetrieval;
using MultiModalSearch.Abstractions.DocumentStorage;
using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Abstractions.Retrieval;
using MultiModalSearch.Abstractions.Storage;
using MultiModalSearch.Core.Access;
using MultiModalSearch.Core.Assets;
using MultiModalSearch.Core.Collections;
using MultiModalSearch.Core.DocumentRetrieval;
using MultiModalSearch.Core.Indexing;
using MultiModalSearch.Core.Retrieval;
using MultiModalSearch.Documents.Rendering;
using MultiModalSearch.Hosting.Chat;
using MultiModalSearch.Hosting.Documents;
using MultiModalSearch.Models.Hub;
using MultiModalSearch.Models.Inference;
using MultiModalSearch.Models.Resolution;
using MultiModalSearch.Storage.Postgres;

namespace MultiModalSearch.Hosting;

/// <summary>The one registration both hosts use: options from configuration, the database and its stores, models, search.</summary>
public static class MultiModalSearchServices
{
    public static IServiceCollection AddMultiModalSearch(this IServiceCollection services, IConfiguration configuration)
    {
        var home = configuration[ConfigurationKeys.Home];
        services.AddSingleton(configuration);
        services.AddSingleton(DatabaseOptions(configuration, home));
        services.AddSingleton<DatabaseLifetime>();
        services.AddSingleton<ICollectionStore>(s => s.GetRequiredService<DatabaseLifetime>().Current.Collections);
        services.AddSingleton<IWorkQueue>(s => s.GetRequiredService<DatabaseLifetime>().Current.WorkQueue);
        services.AddSingleton<IVectorStore>(s => s.GetRequiredService<DatabaseLifetime>().Current.Vectors);
        services.AddSingleton<ITextStore>(s => s.GetRequiredService<DatabaseLifetime>().Current.Texts);
        services.AddSingleton<IThumbnailStore>(s => s.GetRequiredService<DatabaseLifetime>().Current.Thumbnails);
        services.AddSingleton<IAccessStore>(s => s.GetRequiredService<DatabaseLifetime>().Current.Access);
        services.AddSingleton<IRetrievalStore>(s => s.GetRequiredService<DatabaseLifetime>().Current.Retrieval);
        services.AddSingleton<IAssetStore>(s => s.GetRequiredService<DatabaseLifetime>().Current.Assets);

        // Hugging Face's own variables (HF_ENDPOINT, HF_HOME, HF_TOKEN, ...), read as huggingface_hub reads them: one shared cache.
        services.AddSingleton(_ => HubOptions.FromEnvironment(Environment.GetEnvironmentVariable));
        services.AddSingleton<ModelResolver>();
        string[] bundledRoots = home is null ? [AppContext.BaseDirectory] : [home, AppContext.BaseDirectory];
        services.AddSingleton(new ModelLocatorOptions
        {
            DefaultModel = configuration[ConfigurationKeys.DefaultModel],
            BundledModelSearchRoots = bundledRoots,
        });
        services.AddSingleton<ModelLocator>();
        services.AddSingleton(new EncoderOptions { Device = configuration[ConfigurationKeys.Device] ?? "auto" });
        services.AddSingleton<CollectionEncoders>();
        services.AddSingleton<SearchService>();
        services.AddSingleton(configuration.GetSection("Search").Get<RetrievalOptions>() ?? new RetrievalOptions());
        services.AddSingleton<RetrievalService>();
        services.AddSingleton<CollectionAccess>();
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<UrlSigner>();
        services.AddSingleton<AssetService>();
        services.AddSingleton<CollectionReporter>();
        services.AddSingleton<IDocumentStore>(s => s.GetRequiredService<DatabaseLifetime>().Current.Documents);
        services.AddSingleton<IPageRenderer>(_ => FallbackPageRenderer.CreateDefault());
        services.AddSingleton<DocumentPages>();
        // Documents: full text, figures (CLIP of each collection), and the text models the configuration names.
        services.AddSingleton(s => DocumentTextModels.Open(configuration, s.GetRequiredService<ModelLocator>()));
        services.AddSingleton<IDocumentRetriever>(s =>
        {
            var text = s.GetRequiredService<DocumentTextModels>();
            return new DocumentRetriever(
                s.GetRequiredService<ICollectionStore>(), s.GetRequiredService<IDocumentStore>(),
                new DocumentRetrievalModels(new CollectionFigureQueryEncoder(s.GetRequiredService<CollectionEncoders>()), text.Text, text.Reranker),
                configuration.GetSection("Documents").Get<DocumentRetrievalOptions>() ?? new DocumentRetrievalOptions());
        });
        services.AddSingleton(s => new IndexingStores(
            s.GetRequiredService<ICollectionStore>(), s.GetRequiredService<IWorkQueue>(), s.GetRequiredService<IVectorStore>(),
            s.GetRequiredService<ITextStore>(), s.GetRequiredService<IThumbnailStore>()));

        services.AddGroundedAnswers(configuration);

        // The allocator setting is process-wide (mallopt), so it is decided here, before any pipeline runs.
        if (string.Equals(configuration[ConfigurationKeys.MallocTuning], "off", StringComparison.OrdinalIgnoreCase))
        {
            MallocTuning.TurnOff();
        }

        return services;
    }

    /// <summary>The embedded cluster lives in the installation's .mms folder when a home is configured, else per user.</summary>
    private static PostgresOptions DatabaseOptions(IConfiguration configuration, string? home) => new()
    {
        Url = configuration[ConfigurationKeys.DatabaseUrl],
        ReadUrl = configuration[ConfigurationKeys.ReadDatabaseUrl],
        DataDirectory = configuration[ConfigurationKeys.DataDirectory] ?? (home is null ? null : Path.Combine(home, ".mms", "postgres")),
        IndexBuildMemory = configuration[ConfigurationKeys.IndexBuildMemory],
    };
}
