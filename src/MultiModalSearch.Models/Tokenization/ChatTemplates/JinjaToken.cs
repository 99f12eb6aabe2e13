namespace MultiModalSearch.Models.Tokenization.ChatTemplates;

/// <summary>One token of an expression or statement tag.</summary>
internal readonly record struct JinjaToken(JinjaTokenKind Kind, string Text, object? Value = null)
{
    public bool Is(string text) => Kind is JinjaTokenKind.Operator or JinjaTokenKind.Name && Text == text;

    public override string ToString() => Kind == JinjaTokenKind.End ? "end of tag" : $"'{Text}'";
}
