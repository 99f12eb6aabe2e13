namespace MultiModalSearch.Core.DocumentRetrieval;

/// <summary>
/// Page-level retrieval quality over a question set. Recall@k: the share of answerable questions with a hit on one of
/// their pages among the first k; MRR: the mean reciprocal rank of the first such hit (0 beyond the last hit). A refusal
/// (nothing above the floor) counts as no hit. <see cref="RefusedUnanswerable"/> should be high, <see cref="RefusedAnswerable"/> low.
/// </summary>
public sealed record RetrievalScores(
    int Answerable,
    int Unanswerable,
    double RecallAt1,
    double RecallAt5,
    double RecallAt10,
    double Mrr,
    double RefusedUnanswerable,
    double RefusedAnswerable,
    IReadOnlyList<string> StagesRun);
