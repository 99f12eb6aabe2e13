namespace MultiModalSearch.Tests.Answers;

/// <summary>Splits a text/event-stream body into (event name or null, data) pairs, checking the framing on the way.</summary>
internal static class ServerSentEventReader
{
    public static List<(string? Name, string Data)> Parse(string body)
    {
        Assert.EndsWith("\n\n", body, StringComparison.Ordinal);
        var events = new List<(string?, string)>();
        foreach (var block in body[..^2].Split("\n\n"))
        {
            string? name = null;
            string? data = null;
            foreach (var line in block.Split('\n'))
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    Assert.Null(data);
                    data = line["data: ".Length..];
                }
                else
                {
                    Assert.Fail($"unexpected line in the event stream: '{line}'");
                }
            }

            events.Add((name, data ?? throw new Xunit.Sdk.XunitException($"an event without data: '{block}'")));
        }

        return events;
    }
}
