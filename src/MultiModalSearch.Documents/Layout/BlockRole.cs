namespace MultiModalSearch.Documents.Layout;

/// <summary>What a block of lines is on its page.</summary>
internal enum BlockRole
{
    Body,
    Heading,
    Caption,
    Code,
    PageHeader,
    PageFooter,
}
