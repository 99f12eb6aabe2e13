using MultiModalSearch.Abstractions.DocumentRetrieval;
using MultiModalSearch.Abstractions.DocumentStorage;
using MultiModalSearch.Core.DocumentRetrieval;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.DocumentRetrieval;

/// <summary>The pure parts of document retrieval: the relevance floor's term weights, lexical MMR, and page-level scoring.</summary>
public class DocumentRetrievalRankingTests
{
    [Fact]
    public void A_term_no_passage_holds_weighs_most_so_missing_it_sinks_the_coverage()
    {
        var statistics = new TermStatistics(["default", "devic", "tiff24nc"],
            new Dictionary<string, long> { ["default"] = 40, ["devic"] = 30, ["tiff24nc"] = 0 }, 300);
        var coverage = new TermCoverage(statistics);

        var common = coverage.Of(["default", "devic"]);
        Assert.InRange(common, 0.01, 0.5);
        Assert.Equal(1.0, coverage.Of(["default", "devic", "tiff24nc"]), 6);
        Assert.True(coverage.Of(["tiff24nc"]) > common);
        Assert.Equal(0, new TermCoverage(new TermStatistics([], new Dictionary<string, long>(), 10)).Of([]));
    }

    [Fact]
    public void Lexical_mmr_pushes_near_identical_passages_behind_a_different_one()
    {
        string[] ranked =
        [
            "dot draws directed graphs in hierarchies ranks",
            "dot draws directed graphs in hierarchies ranks too",
            "dot draws directed graphs in hierarchies ranks again",
            "neato draws undirected graphs with springs",
        ];
        var scores = new Dictionary<string, double> { [ranked[0]] = 1.0, [ranked[1]] = 0.95, [ranked[2]] = 0.9, [ranked[3]] = 0.8 };

        var kept = LexicalDiversity.Reorder(ranked, t => scores[t], t => t, 0.7, 2);
        Assert.Equal([ranked[0], ranked[3]], kept);
        // lambda 1 keeps the ranking as it is.
        Assert.Equal(ranked.Take(3), LexicalDiversity.Reorder(ranked, t => scores[t], t => t, 1.0, 3));
    }

    [Fact]
    public void First_relevant_rank_matches_the_document_by_file_name_and_the_page()
    {
        var question = new EvaluationQuestion("q", "dotguide.pdf", [16, 17]);
        DocumentHit Hit(string path, int page) => new(DocumentHitKind.Passage, 1, 1, path, page, null, "", [], 0);
        IReadOnlyList<DocumentHit> hits = [Hit("/d/neatoguide.pdf", 16), Hit("/d/dotguide.pdf", 3), Hit("/d/dotguide.pdf", 17)];

        Assert.Equal(3, RetrievalEvaluation.FirstRelevantRank(hits, question));
        Assert.Null(RetrievalEvaluation.FirstRelevantRank(hits.Take(2).ToList(), question));
    }

    [Fact]
    public void Question_lines_are_read_and_a_bad_line_is_named()
    {
        using var dir = new TemporaryDirectory();
        var path = dir.File("q.jsonl");
        File.WriteAllLines(path, ["""{"question": "a?", "document": "x.pdf", "pages": [2, 3]}""", "", """{"question": "b?", "answerable": false}"""]);
        var questions = EvaluationQuestion.ReadJsonLines(path);
        Assert.Equal([true, false], questions.Select(q => q.Answerable));
        Assert.Equal([2, 3], questions[0].Pages);

        File.AppendAllLines(path, ["""{"question": "c?", "document": "x.pdf"}"""]);
        var error = Assert.Throws<InvalidDataException>(() => EvaluationQuestion.ReadJsonLines(path));
        Assert.StartsWith($"{path}:4:", error.Message, StringComparison.Ordinal);
    }
}
