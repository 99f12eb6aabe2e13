using System.Text.Json;
using MultiModalSearch.Testing;
using UglyToad.PdfPig;

namespace MultiModalSearch.Tests.Documents;

/// <summary>The retrieval question set is well formed and points at pages that exist in the documents it names.</summary>
public class QuestionSetTests
{
    [Fact]
    public void Question_set_names_existing_documents_and_pages_and_has_its_quotas()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "fixtures", "retrieval", "debian-docs-questions.jsonl");
        var pageCounts = DebianDocs.Names.ToDictionary(n => n, n =>
        {
            using var pdf = PdfDocument.Open(DebianDocs.PathOf(n));
            return pdf.NumberOfPages;
        });
        int answerable = 0, unanswerable = 0, figureOnly = 0;
        foreach (string line in File.ReadLines(path).Where(l => l.Length > 0))
        {
            using var row = JsonDocument.Parse(line);
            var root = row.RootElement;
            Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("question").GetString()));
            if (root.TryGetProperty("answerable", out var flag) && !flag.GetBoolean())
            {
                unanswerable++;
                Assert.False(root.TryGetProperty("pages", out _));
                continue;
            }
            answerable++;
            string document = root.GetProperty("document").GetString()!;
            Assert.Contains(document, pageCounts.Keys);
            var pages = root.GetProperty("pages").EnumerateArray().Select(p => p.GetInt32()).ToList();
            Assert.NotEmpty(pages);
            Assert.All(pages, p => Assert.InRange(p, 1, pageCounts[document]));
            if (root.TryGetProperty("figure_only", out var figure) && figure.GetBoolean())
                figureOnly++;
        }
        Assert.True(answerable + unanswerable >= 50, $"{answerable + unanswerable} questions");
        Assert.True(unanswerable >= 10, $"{unanswerable} unanswerable");
        Assert.True(figureOnly >= 10, $"{figureOnly} answerable only from a figure");
    }
}
