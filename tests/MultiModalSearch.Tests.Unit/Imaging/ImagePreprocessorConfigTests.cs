using MultiModalSearch.Imaging;
using MultiModalSearch.Testing;
using static MultiModalSearch.Testing.ImagingTestSupport;

namespace MultiModalSearch.Tests.Imaging;

public sealed class ImagePreprocessorConfigTests
{
    [Fact]
    public void LoadsFixtureConfig()
    {
        var c = ImagePreprocessorConfig.Load(Path.Combine(FixtureDir, "preprocessor_config.json"));
        Assert.Equal((224, 224, 224, 3), (c.ShortestEdge, c.CropHeight, c.CropWidth, c.Resample));
        Assert.Equal([0.48145466f, 0.4578275f, 0.40821073f], c.ImageMean);
        Assert.Equal([0.26862954f, 0.26130258f, 0.27577711f], c.ImageStd);
        Assert.Equal(3 * 224 * 224, c.OutputLength);
    }

    [Theory]
    [InlineData("""{"image_std":[0.2,0,0.3],"image_mean":[0,0,0]}""", "image_std[1]")]
    [InlineData("""{"image_mean":[0.1,0.2]}""", "image_mean")]
    [InlineData("""{"resample":9,"image_mean":[0,0,0],"image_std":[1,1,1]}""", "resample = 9")]
    [InlineData("""{"size":{"height":224}}""", "shortest_edge")]
    [InlineData("""{"size":{"height":200,"width":300},"do_normalize":false}""", "crop_size 224x224 is larger than size 200x300")]
    [InlineData("""{"do_center_crop":false}""", "do_center_crop")]
    [InlineData("""{"size":{"shortest_edge":100},"crop_size":{"height":224,"width":224},"do_normalize":false}""", "crop_size 224x224")]
    [InlineData("""{"rescale_factor":"x"}""", "rescale_factor")]
    [InlineData("""[1,2]""", "JSON object")]
    [InlineData("""{not json""", "not valid JSON")]
    public void RejectsBadValuesNamingThem(string json, string fragment)
    {
        var e = Assert.Throws<InvalidDataException>(() => ImagePreprocessorConfig.Parse(json, "cfg.json"));
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("cfg.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FixedHeightAndWidthResizeIgnoringTheAspectRatio()
    {
        var c = ImagePreprocessorConfig.Parse("""{"size":{"height":224,"width":336},"crop_size":{"height":224,"width":224},"do_normalize":false}""");
        Assert.True(c.ResizesToFixedSize);
        Assert.Equal((224, 336, 336), (c.ResizeHeight, c.ResizeWidth, c.DecodeTarget));
        Assert.Equal(PreprocessingConvention.OpenAiClip, c.Convention);
        Assert.False(ImagePreprocessorConfig.Parse("""{"size":{"shortest_edge":224},"do_normalize":false}""").ResizesToFixedSize);
    }

    [Fact]
    public void ChineseClipProcessorConvertsToRgbFirstAndIsFoundInProcessorConfigToo()
    {
        using var folder = new TemporaryDirectory();
        var nested = File.ReadAllText(Path.Combine(TextModelFixture.ChineseClipTiny.Directory, "processor_config.json"));
        File.WriteAllText(folder.File("processor_config.json"), nested);

        var c = ImagePreprocessorConfig.FromModelDirectory(folder.Path);

        Assert.Equal(PreprocessingConvention.HuggingFace, c.Convention);
        Assert.Equal((224, 224, 224, 224), (c.ResizeHeight!.Value, c.ResizeWidth!.Value, c.CropHeight, c.CropWidth));
        var flat = ImagePreprocessorConfig.FromModelDirectory(TextModelFixture.ChineseClipTiny.Directory);
        Assert.Equal(c with { ImageMean = flat.ImageMean, ImageStd = flat.ImageStd }, flat);
        Assert.Equal(flat.ImageMean, c.ImageMean);
    }

    [Theory]
    [InlineData(300, 200, 336, 224, 56, 0)]
    [InlineData(640, 480, 298, 224, 37, 0)]
    [InlineData(120, 480, 224, 896, 0, 336)]
    [InlineData(257, 257, 224, 224, 0, 0)]
    [InlineData(225, 224, 225, 224, 0, 0)] // (225-224)/2 = 0.5 rounds half to even -> 0
    [InlineData(227, 224, 227, 224, 2, 0)] // 1.5 -> 2
    public void ResizeAndCropGeometryFollowsTorchvision(int w, int h, int rw, int rh, int left, int top)
    {
        Assert.Equal((rw, rh), ImagePreprocessor.ResizedSize(w, h, 224));
        Assert.Equal((left, top), (ImagePreprocessor.CropOffset(rw, 224), ImagePreprocessor.CropOffset(rh, 224)));
    }
}
