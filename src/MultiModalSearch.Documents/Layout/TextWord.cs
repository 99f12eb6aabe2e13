using MultiModalSearch.Abstractions.Documents;

namespace MultiModalSearch.Documents.Layout;

/// <summary>A word on a page: its text, box (points, top-left origin) and the font facts layout decisions need.</summary>
internal sealed record TextWord(string Text, BoundingBox Box, double FontSize, bool Bold, bool Monospace);
