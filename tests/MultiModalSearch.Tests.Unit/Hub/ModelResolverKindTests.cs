using System.Text;
using MultiModalSearch.Models.Hub;
using MultiModalSearch.Models.Resolution;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Hub;

/// <summary>Non-CLIP repositories on the fake Hub: the files fetched follow the kind config.json (and modules.json) describe.</summary>
public sealed class ModelResolverKindTests : IDisposable
{
    private const string RepoId = "test-org/bert-tiny";
    private const string Commit = "89abcdef0123456789abcdef0123456789abcdef";
    private const string RepoFolder = "models--test-org--bert-tiny";

    private static readonly string Bert = Path.Combine(AppContext.BaseDirectory, "fixtures", "bert-tiny");
    private static readonly string Reranker = Path.Combine(Bert, "reranker");
    private static readonly string ChineseClip = Path.Combine(AppContext.BaseDirectory, "fixtures", "chinese-clip-tiny");

    private static readonly string[] SentenceTransformerFiles =
        ["config.json", "vocab.txt", "tokenizer.json", "tokenizer_config.json", "modules.json", "1_Pooling/config.json", "sentence_bert_config.json", "model.safetensors"];

    private readonly FakeHubServer server = new();
    private readonly TemporaryDirectory cache = new();

    public void Dispose()
    {
        server.Dispose();
        cache.Dispose();
    }

    [Fact]
    public async Task SentenceTransformersRepositoryBringsItsModuleFilesAndNoClipFiles()
    {
        server.AddRepo(RepoId, Commit).AddFixture(Bert, SentenceTransformerFiles);

        var folder = await Resolver().ResolveAsync(RepoId);

        Assert.Equal(Path.Combine(cache.Path, RepoFolder, "snapshots", Commit), folder);
        foreach (var name in SentenceTransformerFiles)
            Assert.Equal(File.ReadAllBytes(Path.Combine(Bert, name)), File.ReadAllBytes(Path.Combine(folder, name)));
        Assert.Equal(ModelKind.SentenceEmbedder, ModelKindDetector.Detect(folder));
        Assert.DoesNotContain(server.Requests, r => r.Path.EndsWith("/vocab.json", StringComparison.Ordinal)
            || r.Path.EndsWith("/merges.txt", StringComparison.Ordinal) || r.Path.EndsWith("/preprocessor_config.json", StringComparison.Ordinal));

        server.Requests.Clear();
        Assert.Equal(folder, await Resolver().ResolveAsync(RepoId));
        Assert.Single(server.Requests);
        Assert.Equal(folder, await Resolver(offline: true).ResolveAsync(RepoId));
    }

    [Fact]
    public async Task CrossEncoderWithOnlyVocabTxtResolvesAndRemembersTheAbsentFiles()
    {
        server.AddRepo(RepoId, Commit).AddFixture(Reranker, "config.json", "vocab.txt", "tokenizer_config.json", "model.safetensors");

        var folder = await Resolver().ResolveAsync(RepoId);

        Assert.Equal(ModelKind.CrossEncoder, ModelKindDetector.Detect(folder));
        Assert.Equal(File.ReadAllBytes(Path.Combine(Reranker, "model.safetensors")), File.ReadAllBytes(Path.Combine(folder, "model.safetensors")));
        var noExist = Path.Combine(cache.Path, RepoFolder, ".no_exist", Commit);
        Assert.True(File.Exists(Path.Combine(noExist, "modules.json")));
        Assert.True(File.Exists(Path.Combine(noExist, "tokenizer.json")));

        server.Requests.Clear();
        Assert.Equal(folder, await Resolver().ResolveAsync(RepoId));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task ChineseClipTakesTheImageProcessorFromProcessorConfigWhenThatIsAllThereIs()
    {
        server.AddRepo(RepoId, Commit).AddFixture(ChineseClip, "config.json", "vocab.txt", "processor_config.json", "model.safetensors");

        var folder = await Resolver().ResolveAsync(RepoId);

        Assert.Equal(ModelKind.ChineseClip, ModelKindDetector.Detect(folder));
        Assert.True(File.Exists(Path.Combine(folder, "processor_config.json")));
        Assert.False(File.Exists(Path.Combine(folder, "preprocessor_config.json")));
    }

    [Fact]
    public async Task LlavaRepositoryBringsItsTokenizerAndProcessorFiles()
    {
        string[] texts = ["tokenizer_config.json", "special_tokens_map.json", "added_tokens.json", "chat_template.json", "generation_config.json", "preprocessor_config.json", "processor_config.json"];
        var repo = server.AddRepo(RepoId, Commit)
            .Add("config.json", Encoding.UTF8.GetBytes("""{"architectures":["LlavaForConditionalGeneration"],"model_type":"llava"}"""), lfs: false)
            .Add("tokenizer.model", [1, 2, 3, 4], lfs: true)
            .Add("model.safetensors", File.ReadAllBytes(Path.Combine(Bert, "model.safetensors")), lfs: true);
        foreach (var name in texts)
            repo.Add(name, Encoding.UTF8.GetBytes($$"""{"name":"{{name}}"}"""), lfs: false);

        var folder = await Resolver().ResolveAsync(RepoId);

        Assert.Equal(ModelKind.Llava, ModelKindDetector.Detect(folder));
        foreach (var name in texts.Append("tokenizer.model"))
            Assert.True(File.Exists(Path.Combine(folder, name)), name);
        Assert.DoesNotContain(server.Requests, r => r.Path.EndsWith("/vocab.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BertRepositoryWithoutVocabularyNamesTheFilesABertNeeds()
    {
        server.AddRepo(RepoId, Commit).AddFixture(Bert, "config.json", "modules.json", "model.safetensors");

        var error = await Assert.ThrowsAsync<ModelNotAvailableException>(() => Resolver().ResolveAsync(RepoId));

        Assert.Equal(ModelUnavailableReason.MissingFiles, error.Reason);
        Assert.Equal(
            $"Model '{RepoId}' has no vocab.txt or tokenizer.json on {server.Endpoint} (or the model does not exist): this program needs config.json, model.safetensors, vocab.txt or tokenizer.json.",
            error.Message);
        Assert.DoesNotContain(server.Requests, r => r.Method == "GET" && r.Path.StartsWith("/cdn/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnsupportedModelTypeIsRefusedBeforeAnyWeightIsFetched()
    {
        server.AddRepo(RepoId, Commit)
            .Add("config.json", Encoding.UTF8.GetBytes("""{"model_type":"gpt2"}"""), lfs: false)
            .Add("model.safetensors", [1, 2, 3], lfs: true);

        var error = await Assert.ThrowsAsync<ModelNotAvailableException>(() => Resolver().ResolveAsync(RepoId));

        Assert.Equal(ModelUnavailableReason.Unsupported, error.Reason);
        Assert.Contains("model_type 'gpt2' is not supported", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Requests, r => r.Path.EndsWith("model.safetensors", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OfflineWithAPartialBertSnapshotNamesTheBertFiles()
    {
        server.AddRepo(RepoId, Commit).AddFixture(Bert, "config.json", "modules.json", "model.safetensors");
        await Assert.ThrowsAsync<ModelNotAvailableException>(() => Resolver().ResolveAsync(RepoId));

        var error = await Assert.ThrowsAsync<ModelNotAvailableException>(() => Resolver(offline: true).ResolveAsync(RepoId));

        Assert.Equal(ModelUnavailableReason.HubUnreachable, error.Reason);
        Assert.Contains("download config.json, model.safetensors, vocab.txt or tokenizer.json from", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocalFolderOfAnUnsupportedModelIsRefusedWithItsModelType()
    {
        var folder = Path.Combine(cache.Path, "local");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), """{"model_type":"t5"}""");
        File.Copy(Path.Combine(Bert, "model.safetensors"), Path.Combine(folder, "model.safetensors"));

        var error = await Assert.ThrowsAsync<ModelNotAvailableException>(() => Resolver().ResolveAsync(folder));

        Assert.Contains("model_type 't5' is not supported", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model_type":"bert","architectures":["BertModel"]}""", false, ModelKind.SentenceEmbedder)]
    [InlineData("""{"model_type":"bert","architectures":["BertForSequenceClassification"]}""", false, ModelKind.CrossEncoder)]
    [InlineData("""{"model_type":"bert","architectures":["BertForSequenceClassification"]}""", true, ModelKind.SentenceEmbedder)]
    [InlineData("""{"model_type":"chinese_clip"}""", false, ModelKind.ChineseClip)]
    [InlineData("""{"model_type":"clip"}""", false, ModelKind.Clip)]
    [InlineData("""{"projection_dim":512}""", false, ModelKind.Clip)]
    [InlineData("""{"model_type":"llava"}""", false, ModelKind.Llava)]
    public void KindComesFromModelTypeArchitecturesAndModulesJson(string config, bool hasModulesJson, ModelKind expected) =>
        Assert.Equal(expected, ModelKindDetector.Detect(config, hasModulesJson));

    private HubOptions Options() => new() { Endpoint = server.Endpoint, CacheDirectory = cache.Path };

    private ModelResolver Resolver(bool offline = false) => new(Options() with { Offline = offline });
}
