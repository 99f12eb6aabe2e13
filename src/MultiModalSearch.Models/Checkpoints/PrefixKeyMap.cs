namespace MultiModalSearch.Models.Checkpoints;

/// <summary>
/// Keys stored under our names, possibly behind a different prefix: each (stored prefix, module prefix) rule is tried in
/// order and the first match is rewritten; a key no rule matches loads unchanged. With no rules this is the identity
/// map of a checkpoint written by the same Hugging Face class we mirror.
/// </summary>
public sealed class PrefixKeyMap(IReadOnlyList<(string Stored, string Module)> rules, Func<string, bool>? isIgnorable = null) : ICheckpointKeyMap
{
    /// <summary>Stored keys are module keys; only non-weight buffers are skipped.</summary>
    public static PrefixKeyMap Identity { get; } = new([]);

    public bool IsIgnorable(string storedKey) => isIgnorable?.Invoke(storedKey) ?? IsBuffer(storedKey);

    public IReadOnlyList<(string Key, TensorTransform Transform)> Map(string storedKey)
    {
        foreach (var (stored, module) in rules)
        {
            if (storedKey.StartsWith(stored, StringComparison.Ordinal))
            {
                return [(module + storedKey[stored.Length..], TensorTransform.Identity)];
            }
        }

        return [(storedKey, TensorTransform.Identity)];
    }

    /// <summary>Buffers older exports kept in the state dict; they are recomputed, never loaded.</summary>
    public static bool IsBuffer(string key) =>
        key.EndsWith("position_ids", StringComparison.Ordinal) || key.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal);
}
