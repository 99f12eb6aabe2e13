namespace MultiModalSearch.Models.Tokenization.ChatTemplates;

/// <summary>A missing variable, key or attribute: renders as nothing and is falsy, as Jinja's default Undefined.</summary>
internal sealed class JinjaUndefined(string name)
{
    public string Name { get; } = name;

    public override string ToString() => "";
}
