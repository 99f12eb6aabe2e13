namespace MultiModalSearch.Models.Tokenization.ChatTemplates;

/// <summary>The object <c>namespace(...)</c> returns: attributes that <c>{% set ns.x = ... %}</c> may change from inside a loop.</summary>
internal sealed class JinjaNamespace : Dictionary<string, object?>
{
    public JinjaNamespace()
        : base(StringComparer.Ordinal)
    {
    }
}
