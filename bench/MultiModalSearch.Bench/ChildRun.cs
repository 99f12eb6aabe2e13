namespace MultiModalSearch.Bench;

/// <summary>What a child process printed on stdout, its peak resident memory and how long it ran.</summary>
internal sealed record ChildRun(string Stdout, long PeakRssKiB, double WallSeconds)
{
    public double PeakRssMiB => PeakRssKiB / 1024.0;

    /// <summary>The last stdout line that is a JSON object (the children print their result as one such line).</summary>
    public System.Text.Json.JsonElement Json()
    {
        var line = Stdout.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{'))
            ?? throw new InvalidOperationException($"the child printed no JSON result:\n{Stdout}");
        return System.Text.Json.JsonDocument.Parse(line).RootElement.Clone();
    }
}
