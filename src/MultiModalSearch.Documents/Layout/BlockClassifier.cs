using System.Text.RegularExpressions;
using MultiModalSearch.Documents.Captions;

namespace MultiModalSearch.Documents.Layout;

/// <summary>
/// Gives each block its role: running header or footer (one line in the top or bottom margin), caption, heading (larger
/// than body text, or bold and short), listing (monospace) or body; and heading levels by size across the document.
/// </summary>
internal static partial class BlockClassifier
{
    /// <summary>Share of the page height, from the top and the bottom, where running headers and footers sit.</summary>
    private const double MarginShare = 0.085;

    /// <summary>Share of the page height, from the top and the bottom, searched for running headers that repeat.</summary>
    private const double RunningShare = 0.16;

    /// <param name="pages">Each page's blocks and height, in page order.</param>
    public static void Classify(IReadOnlyList<(List<TextBlock> Blocks, double Height)> pages, TextStatistics stats)
    {
        var running = RunningLines(pages);
        foreach (var (blocks, height) in pages)
            foreach (var block in blocks)
                block.Role = running.TryGetValue(block, out var role) ? role : RoleOf(block, height, stats);
        AssignHeadingLevels(pages.SelectMany(p => p.Blocks).Where(b => b.Role == BlockRole.Heading).ToList(), stats);
    }

    /// <summary>
    /// Running headers and footers: short blocks near the top or bottom whose text, digits aside, repeats on a quarter
    /// of the pages or more ("dot User's Manual, January 5, 2015  2"), and lone page numbers there.
    /// </summary>
    private static Dictionary<TextBlock, BlockRole> RunningLines(IReadOnlyList<(List<TextBlock> Blocks, double Height)> pages)
    {
        var candidates = new List<(TextBlock Block, BlockRole Role, string Key)>();
        foreach (var (blocks, height) in pages)
        {
            foreach (var block in blocks.Where(b => b.Lines.Count <= 2 && b.Text.Length <= 200))
            {
                BlockRole? role = block.Box.Bottom <= RunningShare * height ? BlockRole.PageHeader
                    : block.Box.Top >= (1 - RunningShare) * height ? BlockRole.PageFooter : null;
                if (role is not null)
                    candidates.Add((block, role.Value, role + ":" + Digits().Replace(block.Text, "#").ToLowerInvariant()));
            }
        }
        var pagesWithKey = candidates.GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Count());
        int needed = Math.Max(2, (int)Math.Ceiling(0.25 * pages.Count));
        var running = new Dictionary<TextBlock, BlockRole>();
        foreach (var (block, role, key) in candidates)
            if (pagesWithKey[key] >= needed || PageNumber().IsMatch(block.Text))
                running[block] = role;
        return running;
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();

    [GeneratedRegex(@"^\s*(?:[-–]\s*)?(?:\d{1,4}|[ivxlc]{1,6})(?:\s*[-–])?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex PageNumber();

    private static BlockRole RoleOf(TextBlock block, double pageHeight, TextStatistics stats)
    {
        if (block.Lines.Count <= 2 && block.Box.Bottom <= MarginShare * pageHeight)
            return BlockRole.PageHeader;
        if (block.Lines.Count <= 2 && block.Box.Top >= (1 - MarginShare) * pageHeight)
            return BlockRole.PageFooter;
        if (IsCaption(block))
            return BlockRole.Caption;
        if (IsHeading(block, stats))
            return BlockRole.Heading;
        return block.Monospace ? BlockRole.Code : BlockRole.Body;
    }

    /// <summary>
    /// A caption starts with a label and number and says something: "Figure 2." alone on one line is a reference
    /// inside a drawing ("see Figure 2."), while a label on a line of its own above the caption text is a caption.
    /// </summary>
    private static bool IsCaption(TextBlock block)
    {
        string first = block.Lines[0].Text;
        if (!CaptionParser.IsCaptionStart(first))
            return false;
        if (block.Lines.Count >= 2)
            return true;
        int afterNumber = first.AsSpan().IndexOfAnyInRange('0', '9');
        return afterNumber >= 0 && first[afterNumber..].Any(char.IsLetter);
    }

    private static bool IsHeading(TextBlock block, TextStatistics stats)
    {
        string text = block.Text;
        if (block.Lines.Count > 3 || text.Length > 160 || block.Monospace || !text.Any(char.IsLetter))
            return false;
        if (block.FontSize >= 1.15 * stats.BodyFontSize)
            return true;
        // Bold at body size: a run-in heading on its own line, short and not a sentence.
        return block.Bold && stats.IsBodySize(block.FontSize) && block.Lines.Count <= 2 && text.Length <= 100 && !text.EndsWith('.');
    }

    /// <summary>
    /// Level 1 for the largest heading size, 2 for the next, ...; sizes within 6% of each other are one size (measured
    /// sizes wobble by a few percent); bold headings at body size come last.
    /// </summary>
    private static void AssignHeadingLevels(List<TextBlock> headings, TextStatistics stats)
    {
        var sizes = headings.Select(h => h.FontSize).Where(s => s >= 1.15 * stats.BodyFontSize).OrderDescending().ToList();
        var levels = new List<double>(); // the largest size of each level
        foreach (double size in sizes)
            if (levels.Count == 0 || size < levels[^1] / 1.06)
                levels.Add(size);
        foreach (var heading in headings)
        {
            int level = levels.FindIndex(top => heading.FontSize >= top / 1.06 - 1e-9);
            heading.HeadingLevel = heading.FontSize >= 1.15 * stats.BodyFontSize && level >= 0 ? level + 1 : levels.Count + 1;
        }
    }
}
