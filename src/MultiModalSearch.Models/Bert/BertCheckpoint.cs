using MultiModalSearch.Models.Checkpoints;

namespace MultiModalSearch.Models.Bert;

/// <summary>
/// BERT weights: a bare <c>BertModel</c> state dict (<c>embeddings.*</c>, <c>encoder.*</c>, <c>pooler.*</c>) or one saved
/// from a model that holds it as <c>bert.*</c> (a classifier or a pretraining checkpoint).
/// </summary>
public static class BertCheckpoint
{
    private const string BertPrefix = "bert.";

    /// <summary>For a <see cref="BertModel"/>: keys with or without <c>bert.</c>; pretraining heads (<c>cls.*</c>) are not ours to load.</summary>
    public static Checkpoint OpenEncoder(string directory) => Checkpoint.Open(directory, ChooseEncoderKeyMap);

    /// <summary>For a <see cref="BertForSequenceClassification"/>: stored under our own names (<c>bert.*</c>, <c>classifier.*</c>).</summary>
    public static Checkpoint OpenClassifier(string directory) => Checkpoint.Open(directory, _ => PrefixKeyMap.Identity);

    /// <summary>Whether the stored weights include the pooler, so the model can be built with or without one.</summary>
    public static bool HasPooler(Checkpoint checkpoint, string prefix = "") => checkpoint.Tensors.ContainsKey(prefix + "pooler.dense.weight");

    public static ICheckpointKeyMap ChooseEncoderKeyMap(IReadOnlyCollection<string> storedKeys)
    {
        var isIgnorable = (string key) => PrefixKeyMap.IsBuffer(key) || key.StartsWith("cls.", StringComparison.Ordinal);
        var prefixed = storedKeys.Any(k => k.StartsWith(BertPrefix + "embeddings.", StringComparison.Ordinal));
        return new PrefixKeyMap(prefixed ? [(BertPrefix, "")] : [], isIgnorable);
    }
}
