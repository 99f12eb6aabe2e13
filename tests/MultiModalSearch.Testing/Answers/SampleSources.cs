using MultiModalSearch.Abstractions.DocumentRetrieval;
using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Imaging;

namespace MultiModalSearch.Testing.Answers;

/// <summary>Hits as document retrieval returns them, with the texts and figures of the bundled illustrated sample (samples/illustrated).</summary>
public static class SampleSources
{
    public const string Collection = "illustrated";

    public static DocumentHit Harbour { get; } = new(DocumentHitKind.Passage, 11, 1, "samples/illustrated/travel-journal.md", 1, new BoundingBox(72, 300, 540, 340),
        "At the harbour the fishermen were sorting the night's catch. One crate held a creature we had never seen up close, and a boy let us watch it climb the side of the crate.",
        ["Travel journal: a week by the sea", "Day three"], 0.91);

    public static DocumentHit HarbourFigure { get; } = new(DocumentHitKind.Figure, 12, 1, "samples/illustrated/travel-journal.md", 1, new BoundingBox(72, 350, 136, 414),
        "Figure 2: What we saw at the harbour on the third day.", ["Travel journal: a week by the sea", "Day three"], 0.88);

    public static DocumentHit Bicycles { get; } = new(DocumentHitKind.Passage, 13, 1, "samples/illustrated/travel-journal.md", 1, null,
        "We hired bicycles from the shop beside the station (twelve euros a day, helmets included) and rode the coast road to the next village.",
        ["Travel journal: a week by the sea", "Day four"], 0.52);

    public static IReadOnlyList<DocumentHit> Hits { get; } = [Harbour, HarbourFigure, Bicycles];

    public static DocumentRetrievalResult Found(params DocumentHit[] hits) => new(hits.Length == 0 ? Hits : hits, false, ["full-text", "embedder", "figures"]);

    /// <summary>The octopus figure as the WebP crop retrieval stores.</summary>
    public static byte[] OctopusCrop()
    {
        var png = File.ReadAllBytes(Path.Combine(SamplesDirectory(), "images", "octopus.png"));
        using var image = NetVips.Image.NewFromBuffer(png);
        return image.WebpsaveBuffer();
    }

    public static string SamplesDirectory() => RepositoryPaths.IllustratedSample;
}
