using System.Diagnostics;

namespace MultiModalSearch.Core.Retrieval;

/// <summary>Times the stages of one request, in the order they ran.</summary>
internal sealed class StageClock
{
    private readonly List<KeyValuePair<string, double>> stages = [];
    private long last = Stopwatch.GetTimestamp();

    public IReadOnlyList<KeyValuePair<string, double>> Stages => stages;

    /// <summary>Ends the stage that ran since the previous mark.</summary>
    public void Mark(string stage)
    {
        var now = Stopwatch.GetTimestamp();
        stages.Add(new(stage, Math.Round(Stopwatch.GetElapsedTime(last, now).TotalMilliseconds, 3)));
        last = now;
    }
}
