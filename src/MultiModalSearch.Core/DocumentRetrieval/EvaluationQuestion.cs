using System.Text.Json;

namespace MultiModalSearch.Core.DocumentRetrieval;

/// <summary>
/// One line of a question set: <c>{"question", "document", "pages": [...]}</c> (physical 1-based pages of the named
/// document, matched by file name) or <c>{"question", "answerable": false}</c>.
/// </summary>
public sealed record EvaluationQuestion(string Question, string? Document, IReadOnlyList<int> Pages)
{
    public bool Answerable => Document is not null;

    /// <exception cref="InvalidDataException">A line is not such an object; the message names the line.</exception>
    public static IReadOnlyList<EvaluationQuestion> ReadJsonLines(string path)
    {
        var questions = new List<EvaluationQuestion>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                questions.Add(Parse(line));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"{path}:{number}: expected {{\"question\", \"document\", \"pages\": [...]}} or {{\"question\", \"answerable\": false}} ({e.Message})", e);
            }
        }

        return questions;
    }

    private static EvaluationQuestion Parse(string line)
    {
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        var question = root.GetProperty("question").GetString() ?? throw new FormatException("question is null");
        if (root.TryGetProperty("answerable", out var answerable) && answerable.ValueKind == JsonValueKind.False)
        {
            return new EvaluationQuestion(question, null, []);
        }

        var pages = root.GetProperty("pages").EnumerateArray().Select(p => p.GetInt32()).ToList();
        if (pages.Count == 0)
        {
            throw new FormatException("an answerable question needs at least one page");
        }

        return new EvaluationQuestion(question, root.GetProperty("document").GetString(), pages);
    }
}
