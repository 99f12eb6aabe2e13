using System.Globalization;
using System.Text.RegularExpressions;

namespace MultiModalSearch.Bench;

/// <summary>What one wrk run measured: its latency percentiles (from wrk's --latency distribution), rate and failures.</summary>
internal sealed partial record WrkResult(double P50Ms, double P99Ms, double RequestsPerSecond, long Errors)
{
    public static WrkResult Parse(string output)
    {
        var p50 = Percentile(output, "50%");
        var p99 = Percentile(output, "99%");
        var rate = RateLine().Match(output) is { Success: true } r ? double.Parse(r.Groups[1].Value, CultureInfo.InvariantCulture) : throw new InvalidDataException("wrk printed no Requests/sec:\n" + output);
        var non2xx = Non2xx().Match(output) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var socket = SocketErrors().Match(output) is { Success: true } s ? s.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture)) : 0;
        return new WrkResult(p50, p99, rate, non2xx + socket);
    }

    private static double Percentile(string output, string label)
    {
        var match = Regex.Match(output, $@"^\s+{Regex.Escape(label)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!match.Success)
        {
            throw new InvalidDataException($"wrk printed no {label} latency:\n" + output);
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RateLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}
