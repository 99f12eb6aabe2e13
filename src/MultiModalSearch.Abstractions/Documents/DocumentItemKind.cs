namespace MultiModalSearch.Abstractions.Documents;

/// <summary>What a text item is; decides how passages are cut around it.</summary>
public enum DocumentItemKind
{
    Heading,
    Paragraph,
    ListItem,
    /// <summary>A table, kept whole as text: cells separated by " | ", rows by new lines.</summary>
    Table,
    /// <summary>Preformatted text (code, a listing): kept with its line breaks.</summary>
    Code,
    /// <summary>A figure or table caption ("Figure 3: ..."); also linked from its <see cref="DocumentFigure"/>.</summary>
    Caption,
    /// <summary>Running headers and footers (page numbers, the manual's title on every page): not body text.</summary>
    PageHeader,
    PageFooter,
}
