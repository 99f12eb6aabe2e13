using System.Text.Json;
using MultiModalSearch.Models.Checkpoints;
using MultiModalSearch.Models.Clip;
using MultiModalSearch.Training.Optimization;
using static TorchSharp.torch;

namespace MultiModalSearch.Training.Checkpointing;

/// <summary>
/// A resumable checkpoint folder: <c>model.safetensors</c> (float32 master weights, HF keys), <c>optimizer.safetensors</c>
/// (AdamW moments by parameter name and the augmentation generator's state) and <c>state.json</c>. Written beside the old one and
/// swapped in by renames, so an interrupted write never leaves a half checkpoint behind.
/// </summary>
public static class TrainingCheckpoint
{
    private const string ModelFile = "model.safetensors";
    private const string OptimizerFile = "optimizer.safetensors";
    private const string StateFile = "state.json";
    private const string RngKey = "augmentation_rng_state";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, StateFile));

    public static void Save(string directory, ClipModel master, AdamW optimizer, Generator random, TrainingState state)
    {
        var temporary = directory + ".tmp";
        RecreateDirectory(temporary);
        SafetensorsWriter.Write(Path.Combine(temporary, ModelFile), master.state_dict());
        using var rng = random.get_state();
        var optimizerTensors = optimizer.StateTensors().Append(KeyValuePair.Create(RngKey, rng));
        var metadata = new Dictionary<string, string> { ["step_count"] = optimizer.StepCount.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        SafetensorsWriter.Write(Path.Combine(temporary, OptimizerFile), optimizerTensors, metadata);
        File.WriteAllText(Path.Combine(temporary, StateFile), JsonSerializer.Serialize(state, Json));
        Swap(temporary, directory);
    }

    /// <summary>Restores weights, optimizer moments and the RNG into the given objects and returns the run's position.</summary>
    public static TrainingState Load(string directory, ClipModel master, AdamW optimizer, Generator random)
    {
        if (!Exists(directory))
        {
            throw new FileNotFoundException($"no checkpoint to resume from in {directory}", Path.Combine(directory, StateFile));
        }

        var state = JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(Path.Combine(directory, StateFile)))
            ?? throw new InvalidDataException($"{directory}/{StateFile} is empty");
        using (var checkpoint = ClipCheckpoint.Open(directory))
        {
            checkpoint.LoadInto(master);
        }

        using var file = SafetensorsFile.Open(Path.Combine(directory, OptimizerFile));
        var steps = long.Parse(file.Metadata["step_count"], System.Globalization.CultureInfo.InvariantCulture);
        optimizer.Restore(steps, name => file.ReadTensor(name).to(master.LogitScale.device));
        using var rng = file.ReadTensor(RngKey);
        random.set_state(rng);
        return state;
    }

    private static void RecreateDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        Directory.CreateDirectory(path);
    }

    private static void Swap(string temporary, string directory)
    {
        var old = directory + ".old";
        if (Directory.Exists(old))
        {
            Directory.Delete(old, recursive: true);
        }

        if (Directory.Exists(directory))
        {
            Directory.Move(directory, old);
        }

        Directory.Move(temporary, directory);
        if (Directory.Exists(old))
        {
            Directory.Delete(old, recursive: true);
        }
    }
}
