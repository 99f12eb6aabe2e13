using MultiModalSearch.Testing;
using MultiModalSearch.Training.Optimization;

namespace MultiModalSearch.Tests.Training;

public sealed class OptimizationTests
{
    [Fact]
    public void ScheduleWarmsUpLinearlyThenDecaysAlongACosine()
    {
        var schedule = new LearningRateSchedule(1.0, WarmupSteps: 10, TotalSteps: 110);
        Assert.Equal(0.1, schedule.At(0), 12);
        Assert.Equal(1.0, schedule.At(9), 12);
        Assert.Equal(1.0, schedule.At(10), 12);
        Assert.Equal(0.5, schedule.At(60), 12);
        Assert.Equal(0.0, schedule.At(110), 12);
    }

    [Theory]
    [InlineData("text_model.encoder.layers.0.self_attn.q_proj.weight", 2, true)]
    [InlineData("vision_model.embeddings.patch_embedding.weight", 4, true)]
    [InlineData("visual_projection.weight", 2, true)]
    [InlineData("text_model.encoder.layers.0.self_attn.q_proj.bias", 1, false)]
    [InlineData("text_model.encoder.layers.0.layer_norm1.weight", 1, false)]
    [InlineData("vision_model.pre_layrnorm.weight", 1, false)]
    [InlineData("text_model.embeddings.token_embedding.weight", 2, false)]
    [InlineData("text_model.embeddings.position_embedding.weight", 2, false)]
    [InlineData("vision_model.embeddings.position_embedding.weight", 2, false)]
    [InlineData("vision_model.embeddings.class_embedding", 1, false)]
    [InlineData("logit_scale", 0, false)]
    public void DecaysOnlyMatricesThatAreNotEmbeddings(string name, long dimensions, bool decays) =>
        Assert.Equal(decays, WeightDecayPolicy.Decays(name, dimensions));
}
