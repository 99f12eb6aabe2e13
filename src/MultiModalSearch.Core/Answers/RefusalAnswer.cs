namespace MultiModalSearch.Core.Answers;

/// <summary>The answer when nothing relevant was found: it says what was searched, and no model is asked.</summary>
public static class RefusalAnswer
{
    public static AnswerOutcome Compose(AnswerRequest request, IReadOnlyList<string> stagesRun)
    {
        var searched = stagesRun.Count == 0 ? "the collection's passages and figures" : string.Join(", ", stagesRun);
        var text = $"The documents in '{request.Collection}' do not answer this: no passage or figure was relevant enough to "
            + $"\"{request.Question.Trim()}\" (searched: {searched}). Try other words, or ask about what the documents cover.";
        return new AnswerOutcome(text, [], [], Refused: true, Extractive: false);
    }
}
