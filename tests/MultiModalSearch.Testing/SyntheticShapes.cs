using MultiModalSearch.Models.Tokenization.Clip;
using MultiModalSearch.Training.Data;
using MultiModalSearch.Training.Inputs;

namespace MultiModalSearch.Testing;

/// <summary>
/// Coloured shapes drawn in memory ("a red square"): a caption/image set any CI machine has. The image "path" is the
/// caption key; the encoder renders it instead of reading a file, and uses the real CLIP tokenizer of the fixture.
/// </summary>
public sealed class SyntheticShapes : IClipInputEncoder
{
    private static readonly (string Name, float R, float G, float B)[] Colours =
        [("red", 1, 0, 0), ("green", 0, 1, 0), ("blue", 0, 0, 1), ("yellow", 1, 1, 0)];

    private static readonly string[] Shapes = ["square", "circle", "stripe"];

    private readonly ClipTokenizer tokenizer = ClipTokenizer.FromDirectory(ClipTinyFixture.Directory);

    public int ImageSize => 16;

    /// <summary>Values run from -1 (black) to 1 (full colour).</summary>
    public PixelNormalization Normalization { get; } = new([0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]);

    /// <summary>Every colour/shape pair, two captions each.</summary>
    public static IReadOnlyList<CaptionedImage> Items() =>
        Colours.SelectMany(c => Shapes.Select(s => new CaptionedImage($"{c.Name}|{s}", [$"a {c.Name} {s}", $"{s} in {c.Name}"]))).ToList();

    public void LoadImage(string path, Span<float> destination)
    {
        var parts = path.Split('|');
        var colour = Colours.Single(c => c.Name == parts[0]);
        var plane = ImageSize * ImageSize;
        for (var y = 0; y < ImageSize; y++)
        {
            for (var x = 0; x < ImageSize; x++)
            {
                var inside = Inside(parts[1], x, y);
                destination[(y * ImageSize) + x] = inside ? colour.R : -1;
                destination[plane + (y * ImageSize) + x] = inside ? colour.G : -1;
                destination[(2 * plane) + (y * ImageSize) + x] = inside ? colour.B : -1;
            }
        }
    }

    public IReadOnlyList<int> Tokenize(string text) => tokenizer.Encode(text);

    private bool Inside(string shape, int x, int y)
    {
        var c = (ImageSize - 1) / 2.0;
        return shape switch
        {
            "square" => Math.Abs(x - c) < 5 && Math.Abs(y - c) < 5,
            "circle" => ((x - c) * (x - c)) + ((y - c) * (y - c)) < 30,
            _ => x % 4 < 2,
        };
    }
}
