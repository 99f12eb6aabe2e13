namespace MultiModalSearch.Models.Tokenization.ChatTemplates;

/// <summary>A piece of template source after whitespace control; <see cref="Line"/> is 1-based, for messages.</summary>
internal sealed record JinjaSegment(JinjaSegmentKind Kind, string Content, int Line);
