using MultiModalSearch.Abstractions.Access;
using MultiModalSearch.Core.Access;
using MultiModalSearch.Core.Indexing;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Inference;
using MultiModalSearch.Models.Resolution;
using MultiModalSearch.Storage.Postgres;
using MultiModalSearch.Storage.Postgres.Embedded;
using MultiModalSearch.Testing;
using MultiModalSearch.Tests.Storage;

namespace MultiModalSearch.Tests.Api;

/// <summary>
/// One real PostgreSQL and one running service for the API tests. The "emoji" collection is a part of the bundled
/// sample indexed by the real indexer with the bundled model, plus two files under names that say nothing of their
/// picture (IMG_4711.png is the guitar; copies/cat copy.png is cat.png again). "secret" is private, with a read key and a
/// write key. "vectors" holds synthetic clustered vectors (no model) for the retrieval tests.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime, IDisposable
{
    public const string Emoji = "emoji";
    public const string Secret = "secret";
    public const string Vectors = "vectors";
    public const int VectorCount = 10_000;
    public const int VectorDim = 64;

    private static readonly string[] Sample = ["cat.png", "dog.png", "pizza.png", "car.png", "rocket.png", "airplane.png", "apple.png", "evergreen_tree.png", "house.png", "fish.png", "owl.png", "rain_cloud.png", "sunny.png", "smile.png", "birthday.png", "bike.png"];

    private readonly TemporaryDirectory root = new();
    private EmbeddedPostgres? server;

    public ApiServer Api { get; private set; } = null!;

    public PostgresDatabase Storage { get; private set; } = null!;

    public string DatabaseUrl { get; private set; } = "";

    public string PhotoDirectory => Path.Combine(root.Path, "photos");

    public string SecretDirectory => Path.Combine(root.Path, "secret");

    public string ReadKey { get; private set; } = "";

    public string WriteKey { get; private set; } = "";

    public long ReadKeyId { get; private set; }

    public float[][] VectorData { get; private set; } = [];

    /// <summary>The cluster of each row of <see cref="VectorData"/>; -1 for the near-duplicate groups.</summary>
    public int[] Labels { get; private set; } = [];

    /// <summary>The last rows: ten groups of five near-identical vectors (cosine ~0.9999 within a group, ~0.92 across), all near row 0.</summary>
    public const int DuplicateGroups = 10;
    public const int DuplicatesPerGroup = 5;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("HF_HUB_OFFLINE", "1");
        Environment.SetEnvironmentVariable("HF_ENDPOINT", "http://127.0.0.1:9");
        server = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { DataDirectory = Path.Combine(root.Path, "pg") });
        DatabaseUrl = await server.CreateDatabaseAsync("api");
        Storage = await PostgresDatabase.ConnectAsync(DatabaseUrl);
        CopySample();
        var model = ModelLocator.FindBundledModel([AppContext.BaseDirectory]) ?? throw new DirectoryNotFoundException("models/emoji-clip");
        using (var session = ClipSession.Open(model, ComputeOptions.Cpu))
        {
            await IndexAsync(session, PhotoDirectory, Emoji);
            await IndexAsync(session, SecretDirectory, Secret);
        }

        await Storage.Access.SetVisibilityAsync(Secret, CollectionVisibility.Private);
        var keys = new ApiKeys(Storage.Access);
        var read = await keys.CreateAsync(Secret, ApiKeyAccess.Read);
        (ReadKey, ReadKeyId) = (read.Secret, read.Id);
        WriteKey = (await keys.CreateAsync(Secret, ApiKeyAccess.Write)).Secret;
        VectorData = ClusteredTestVectors.Generate(VectorCount, VectorDim, centres: 50, seed: 11, out var labels);
        Labels = labels;
        AddNearDuplicates();
        await ClusteredTestVectors.LoadAsync(Storage, Vectors, VectorData, row => new DateTime(2020, 1, 1).AddDays(row % 365));
        Api = await ApiServer.StartAsync(DatabaseUrl);
        await Api.WaitReadyAsync(TimeSpan.FromMinutes(3));
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Storage.DisposeAsync();
        if (server is not null)
        {
            await server.StopAsync();
        }
    }

    /// <summary>After <see cref="DisposeAsync"/> (xUnit calls both): the server has stopped, so its files can go.</summary>
    public void Dispose() => root.Dispose();

    private void AddNearDuplicates()
    {
        var random = new Random(5);
        var first = VectorCount - (DuplicateGroups * DuplicatesPerGroup);
        for (var group = 0; group < DuplicateGroups; group++)
        {
            var centre = ClusteredTestVectors.Near(VectorData[0], 0.3, random);
            for (var copy = 0; copy < DuplicatesPerGroup; copy++)
            {
                var row = first + (group * DuplicatesPerGroup) + copy;
                VectorData[row] = ClusteredTestVectors.Near(centre, 0.01, random);
                Labels[row] = -1;
            }
        }
    }

    private void CopySample()
    {
        var samples = SamplesDirectory();
        Directory.CreateDirectory(Path.Combine(PhotoDirectory, "copies"));
        foreach (var name in Sample)
        {
            File.Copy(Path.Combine(samples, name), Path.Combine(PhotoDirectory, name));
        }

        File.Copy(Path.Combine(samples, "cat.png"), Path.Combine(PhotoDirectory, "copies", "cat copy.png"));
        File.Copy(Path.Combine(samples, "guitar.png"), Path.Combine(PhotoDirectory, "IMG_4711.png"));
        Directory.CreateDirectory(SecretDirectory);
        foreach (var name in new[] { "snowman.png", "octopus.png", "sheep.png" })
        {
            File.Copy(Path.Combine(samples, name), Path.Combine(SecretDirectory, name));
        }
    }

    private async Task IndexAsync(ClipSession session, string directory, string collection)
    {
        var job = new IndexingJob(Storage.IndexingStores(), session, new IndexingOptions { Roots = [directory], Collection = collection, ModelId = ModelLocator.BundledModelName });
        var summary = await job.RunAsync();
        if (summary.Failed > 0)
        {
            throw new InvalidOperationException($"{summary.Failed} sample files failed to index");
        }
    }

    public static string SamplesDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "samples", "emoji");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("samples/emoji");
    }
}
