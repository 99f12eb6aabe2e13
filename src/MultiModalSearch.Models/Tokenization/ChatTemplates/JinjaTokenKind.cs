namespace MultiModalSearch.Models.Tokenization.ChatTemplates;

/// <summary>Kinds of tokens inside a Jinja tag.</summary>
internal enum JinjaTokenKind
{
    Name,
    String,
    Integer,
    Float,
    Operator,
    End,
}
