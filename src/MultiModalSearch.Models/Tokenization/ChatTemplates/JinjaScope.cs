namespace MultiModalSearch.Models.Tokenization.ChatTemplates;

/// <summary>Variables by frame: a for loop's body gets its own frame, so its <c>set</c>s do not leak out (Jinja's scoping).</summary>
internal sealed class JinjaScope
{
    private readonly List<Dictionary<string, object?>> frames = [];

    public JinjaScope(IReadOnlyDictionary<string, object?> globals)
    {
        frames.Add(new Dictionary<string, object?>(globals, StringComparer.Ordinal));
    }

    public object? Get(string name)
    {
        for (var i = frames.Count - 1; i >= 0; i--)
        {
            if (frames[i].TryGetValue(name, out var value))
            {
                return value;
            }
        }

        return new JinjaUndefined(name);
    }

    public void Set(string name, object? value) => frames[^1][name] = value;

    public void Push() => frames.Add(new Dictionary<string, object?>(StringComparer.Ordinal));

    public void Pop() => frames.RemoveAt(frames.Count - 1);
}
