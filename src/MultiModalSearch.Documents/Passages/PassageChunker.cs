using System.Text;
using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Abstractions.Text;

namespace MultiModalSearch.Documents.Passages;

/// <summary>
/// Cuts a document into passages for retrieval: a passage never crosses a heading, holds whole paragraphs while they
/// fit the token budget, splits a longer paragraph at sentence ends (a sentence longer than the budget at words), and
/// starts with the last sentences of the passage before it, up to <c>overlap</c> tokens, when it continues the same
/// section. Tables and listings are kept whole where they fit the budget, and cut at rows or lines where they do not.
/// Running headers and footers are left out. Tokens are counted with the given counter, so the budget is the text
/// model's own; nothing here knows which model that is.
/// </summary>
public static class PassageChunker
{
    /// <param name="budget">Most tokens in a passage, as <paramref name="counter"/> counts them (a sentence or word that alone exceeds it is still one passage).</param>
    /// <param name="overlap">Tokens of the previous passage repeated at the start of the next within a section; less than half the budget.</param>
    public static IReadOnlyList<Passage> Chunk(ExtractedDocument document, ITokenCounter counter, int budget, int overlap)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(counter);
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, 8);
        ArgumentOutOfRangeException.ThrowIfNegative(overlap);
        if (overlap * 2 > budget)
            throw new ArgumentOutOfRangeException(nameof(overlap), $"overlap must be at most half the budget (got overlap {overlap} and budget {budget})");
        var builder = new Builder(document.Path, counter, budget, overlap);
        foreach (var item in document.Items)
        {
            switch (item.Kind)
            {
                case DocumentItemKind.PageHeader or DocumentItemKind.PageFooter:
                    break;
                case DocumentItemKind.Heading:
                    builder.Heading(item);
                    break;
                case DocumentItemKind.Table or DocumentItemKind.Code:
                    builder.Whole(item);
                    break;
                default:
                    builder.Flowing(item);
                    break;
            }
        }
        builder.Close(carry: false);
        return builder.Passages;
    }

    private sealed class Builder(string path, ITokenCounter counter, int budget, int overlap)
    {
        public List<Passage> Passages { get; } = [];

        private readonly List<(int Level, string Text)> headings = [];
        private readonly List<(string Text, DocumentItem Item)> units = [];

        public void Heading(DocumentItem heading)
        {
            Close(carry: false);
            int level = heading.HeadingLevel <= 0 ? 1 : heading.HeadingLevel;
            headings.RemoveAll(h => h.Level >= level);
            headings.Add((level, heading.Text));
        }

        /// <summary>Paragraphs, list items, captions: whole if they fit, else by sentences, else by words.</summary>
        public void Flowing(DocumentItem item)
        {
            if (TryAppend(item.Text, item))
                return;
            if (Count(item.Text) <= budget)
            {
                Close(carry: true);
                if (!TryAppend(item.Text, item))
                {
                    units.Clear(); // the carried overlap and this paragraph do not fit together: drop the overlap
                    TryAppend(item.Text, item);
                }
                return;
            }
            foreach (string sentence in SentenceSplitter.Split(item.Text))
                foreach (string piece in Count(sentence) <= budget ? [sentence] : ByWords(sentence))
                    Add(piece, item);
        }

        /// <summary>A table or listing: one passage of its own when it fits; else cut at row or line breaks.</summary>
        public void Whole(DocumentItem item)
        {
            if (TryAppend(item.Text, item))
                return;
            Close(carry: false);
            if (Count(item.Text) <= budget)
            {
                Add(item.Text, item);
                return;
            }
            var rows = new StringBuilder();
            foreach (string row in item.Text.Split('\n'))
            {
                string candidate = rows.Length == 0 ? row : rows + "\n" + row;
                if (rows.Length > 0 && Count(candidate) > budget)
                {
                    AddAlone(rows.ToString(), item);
                    rows.Clear().Append(row);
                }
                else
                {
                    rows.Clear().Append(candidate);
                }
            }
            if (rows.Length > 0)
                AddAlone(rows.ToString(), item);
        }

        private void AddAlone(string text, DocumentItem item)
        {
            foreach (string piece in Count(text) <= budget ? [text] : ByWords(text))
            {
                units.Add((piece, item));
                Close(carry: false);
            }
        }

        private void Add(string text, DocumentItem item)
        {
            if (TryAppend(text, item))
                return;
            Close(carry: true);
            if (!TryAppend(text, item))
            {
                units.Clear(); // the carried overlap and this text do not fit together: drop the overlap
                units.Add((text, item));
            }
        }

        private bool TryAppend(string text, DocumentItem item)
        {
            if (string.IsNullOrWhiteSpace(text))
                return true;
            if (Count(Join(units.Select(u => u.Text).Append(text))) > budget)
                return false;
            units.Add((text, item));
            return true;
        }

        /// <summary>Emits the passage being built; with <paramref name="carry"/>, its last sentences start the next.</summary>
        public void Close(bool carry)
        {
            if (units.Count == 0)
                return;
            Emit();
            var kept = new List<(string, DocumentItem)>();
            if (carry && overlap > 0)
            {
                for (int i = units.Count - 1; i >= 1; i--)
                {
                    var candidate = units.Skip(i).Select(u => u.Text);
                    if (Count(Join(candidate)) > overlap)
                        break;
                    kept = units.Skip(i).ToList();
                }
            }
            units.Clear();
            units.AddRange(kept);
        }

        private void Emit()
        {
            string text = Join(units.Select(u => u.Text));
            var items = units.Select(u => u.Item).Distinct().ToList();
            var boxes = items.Where(i => i.Provenance.Box is not null)
                .SelectMany(i => i.Boxes.Count > 0 ? i.Boxes.Select(b => new PageBox(i.Provenance.Page, b)) : [new PageBox(i.Provenance.Page, i.Provenance.Box!.Value)])
                .Distinct().ToList();
            var spans = items.Where(i => i.Provenance.Span is not null).Select(i => i.Provenance.Span!.Value).ToList();
            SourceSpan? span = spans.Count == 0 ? null : new SourceSpan(spans.Min(s => s.Start), spans.Max(s => s.End) - spans.Min(s => s.Start));
            Passages.Add(new Passage(path, Passages.Count, text, headings.Select(h => h.Text).ToList(),
                items.Min(i => i.Provenance.Page), items.Max(i => i.Provenance.Page), boxes, span, Count(text), items.Select(i => i.Index).ToList()));
        }

        /// <summary>A sentence longer than the budget, cut into runs of words that fit.</summary>
        private IEnumerable<string> ByWords(string text)
        {
            var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            int start = 0;
            while (start < words.Length)
            {
                int end = start + 1;
                while (end < words.Length && Count(string.Join(' ', words[start..(end + 1)])) <= budget)
                    end++;
                yield return string.Join(' ', words[start..end]);
                start = end;
            }
        }

        private int Count(string text) => counter.CountTokens(text);

        private static string Join(IEnumerable<string> texts) => string.Join("\n", texts);
    }
}
