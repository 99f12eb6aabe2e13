using MultiModalSearch.Testing;
using Xunit.Abstractions;
using static MultiModalSearch.Testing.ImagingTestSupport;

namespace MultiModalSearch.Tests.Imaging;

public sealed class ImagePreprocessorParityTests(ITestOutputHelper output)
{
    private static readonly string[] Images =
    [
        "gradient_300x200.png", "gray_640x480.jpg", "palette_257x257.png",
        "rgba_alpha_200x300.png", "shapes_64x64.png", "tall_120x480.jpg",
    ];

    [Fact]
    public void PixelValuesMatchReferenceForAllFixtureImages()
    {
        var (expected, shape) = TestSafetensors.ReadF32(Path.Combine(FixtureDir, "expected.safetensors"), "pixel_values");
        Assert.Equal([6, 3, 224, 224], shape);
        var preprocessor = CreatePreprocessor();
        int n = preprocessor.OutputLength;
        var failures = new List<string>();
        for (int i = 0; i < Images.Length; i++)
        {
            float[] actual = preprocessor.Preprocess(Path.Combine(FixtureDir, "images", Images[i]));
            var reference = expected.AsSpan(i * n, n);
            double max = MaxAbsDiff(actual, reference);
            int differing = 0;
            for (int k = 0; k < n; k++)
                differing += Math.Abs(actual[k] - reference[k]) > 1e-4 ? 1 : 0;
            output.WriteLine($"{Images[i]}: max abs diff {max:G4}, elements over 1e-4: {differing}, cosine {Cosine(actual, reference):F8}");
            if (max > 1e-4)
                failures.Add($"{Images[i]} max {max:G4}");
        }
        Assert.Empty(failures);
    }

    [Fact]
    public void ByteOverloadMatchesFileOverload()
    {
        var preprocessor = CreatePreprocessor();
        foreach (string name in Images)
        {
            string path = Path.Combine(FixtureDir, "images", name);
            Assert.Equal(preprocessor.Preprocess(path), preprocessor.Preprocess(File.ReadAllBytes(path), name));
        }
    }

    [Fact]
    public void ParallelCallsGiveIdenticalResults()
    {
        var preprocessor = CreatePreprocessor();
        string[] paths = Images.Select(n => Path.Combine(FixtureDir, "images", n)).ToArray();
        float[][] serial = paths.Select(preprocessor.Preprocess).ToArray();
        var parallel = new float[paths.Length * 8][];
        Parallel.For(0, parallel.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => parallel[i] = preprocessor.Preprocess(paths[i % paths.Length]));
        for (int i = 0; i < parallel.Length; i++)
            Assert.Equal(serial[i % paths.Length], parallel[i]);
    }
}
