using static TorchSharp.torch;

namespace MultiModalSearch.Training.Optimization;

/// <summary>A parameter the optimizer updates: its float32 master value, where its float32 gradient is, and whether it decays.</summary>
/// <param name="Name">Hugging Face state-dict key, which also names its optimizer state in checkpoints.</param>
/// <param name="Master">The float32 weights the optimizer changes in place.</param>
/// <param name="Decay">Whether AdamW's decoupled weight decay applies.</param>
/// <param name="ReadGradient">The gradient accumulated for this step (null until backward reached the parameter).</param>
public sealed record TrainableParameter(string Name, Tensor Master, bool Decay, Func<Tensor?> ReadGradient)
{
    public Tensor? Gradient => ReadGradient();
}
