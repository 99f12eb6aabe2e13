namespace MultiModalSearch.Models.Tokenization.ChatTemplates;

/// <summary>What a piece of template source is: literal text, an output tag <c>{{ }}</c> or a statement tag <c>{% %}</c>.</summary>
internal enum JinjaSegmentKind
{
    Text,
    Output,
    Statement,
}
