using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace MultiModalSearch.Bench;

/// <summary>
/// `bench web --rows N`: the search page's "first results within 300 ms of the last keystroke", measured in a real
/// headless chromium (Debian's, driven by Playwright) against `mms serve` over the service benchmark's database (N
/// clustered 512-d vectors, random-weight ViT-B/32 text tower: `bench make-model`, `bench service-data --rows N`).
/// Each query is typed key by key at a person's pace; the page itself timestamps the last keydown and the moment the
/// first result card is in the grid, so the figure includes the page's debounce, the request, the text tower, the
/// search and the rendering. Every query is new to the service (its text cache never answers).
/// </summary>
internal sealed class WebLatencyBenchmark(BenchPaths paths, int rows, int queries, int keyDelayMs)
{
    private const int Port = 18093;
    private const string Chromium = "/usr/lib/chromium/chromium";

    private const string Probe = """
        () => {
          const t = window.__latency = { key: 0, first: 0 };
          document.getElementById('query').addEventListener('keydown', () => { t.key = performance.now(); t.first = 0; }, true);
          new MutationObserver(() => {
            if (!t.first && document.querySelector('#results .card')) t.first = performance.now();
          }).observe(document.getElementById('results'), { childList: true });
        }
        """;

    public async Task RunAsync()
    {
        await using var database = await BenchDatabase.StartAsync(paths);
        var connection = await new ServiceData(paths, rows).EnsureAsync(database);
        using var service = StartService(connection);
        try
        {
            await WaitReadyAsync($"http://127.0.0.1:{Port}/readyz", service);
            var measured = await MeasureAsync();
            Print(measured);
        }
        finally
        {
            if (!service.HasExited)
            {
                Process.Start("kill", ["-TERM", service.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
                if (!service.WaitForExit(30_000))
                {
                    service.Kill(entireProcessTree: true);
                }
            }
        }
    }

    private async Task<List<(double FirstResults, double Request)>> MeasureAsync()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 860 } });
        await page.GotoAsync($"http://127.0.0.1:{Port}/?collection={ServiceData.Collection}");
        await page.Locator("#collection option").First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await page.EvaluateAsync(Probe);
        var box = page.Locator("#query");
        var texts = Queries(queries + 3, seed: Environment.TickCount);
        var measured = new List<(double, double)>();
        for (var i = 0; i < texts.Count; i++)
        {
            await box.FillAsync("");
            await page.WaitForTimeoutAsync(300);
            await box.PressSequentiallyAsync(texts[i], new LocatorPressSequentiallyOptions { Delay = keyDelayMs });
            await page.Locator("#status").Filter(new LocatorFilterOptions { HasText = $"results for “{texts[i]}”" }).WaitForAsync();
            var timing = await page.EvaluateAsync<JsonElement>("""
                () => {
                  const searches = performance.getEntriesByType('resource').filter(e => e.name.endsWith('/api/search'));
                  const last = searches[searches.length - 1];
                  performance.clearResourceTimings();
                  return { first: window.__latency.first - window.__latency.key, request: last ? last.duration : -1 };
                }
                """);
            // The first three warm the page and the connection; they are not counted.
            if (i >= 3)
            {
                measured.Add((timing.GetProperty("first").GetDouble(), timing.GetProperty("request").GetDouble()));
            }
        }

        return measured;
    }

    private void Print(List<(double FirstResults, double Request)> measured)
    {
        var first = measured.Select(m => m.FirstResults).Order().ToArray();
        var request = measured.Select(m => m.Request).Order().ToArray();
        double At(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        var within = first.Count(v => v <= 300) * 100.0 / first.Length;
        Console.WriteLine($"web: {rows:N0} vectors, {measured.Count} queries typed at {keyDelayMs} ms per key, page debounce 150 ms, {Environment.ProcessorCount} cores");
        Console.WriteLine("| measure (ms)                          | p50 | p90 | max | within 300 ms |");
        Console.WriteLine("|---------------------------------------|-----|-----|-----|---------------|");
        Console.WriteLine(FormattableString.Invariant($"| last keystroke -> first results shown | {At(first, 0.5):F0} | {At(first, 0.9):F0} | {first[^1]:F0} | {within:F0}% |"));
        Console.WriteLine(FormattableString.Invariant($"| of which POST /api/search (browser)   | {At(request, 0.5):F0} | {At(request, 0.9):F0} | {request[^1]:F0} |   |"));
    }

    private Process StartService(string connection)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { paths.MmsDll, "serve", "--urls", $"http://127.0.0.1:{Port}", "--db", connection, "--device", "cpu" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MMS_Logging__LogLevel__Default"] = "Warning";
        start.Environment["HF_HUB_OFFLINE"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start mms serve");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitReadyAsync(string url, Process process)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"mms serve exited with {process.ExitCode}");
            }

            try
            {
                if ((await client.GetAsync(url)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Still starting.
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"{url} did not become ready");
    }

    /// <summary>Distinct two- and three-word phrases, so the service's text cache never answers one.</summary>
    private static List<string> Queries(int count, int seed)
    {
        string[] adjectives = ["red", "small", "old", "happy", "wet", "bright", "wooden", "striped", "sleepy", "golden", "broken", "tall", "frozen", "empty", "noisy", "green"];
        string[] nouns = ["dog", "car", "beach", "mountain", "kitchen", "bicycle", "garden", "bridge", "cat", "boat", "market", "forest", "train", "window", "castle", "lamp"];
        string[] places = ["at night", "in the rain", "by the sea", "in winter", "at dawn", "in a city", "on a table", "under trees"];
        var random = new Random(seed);
        var set = new HashSet<string>();
        while (set.Count < count)
        {
            var phrase = $"{adjectives[random.Next(adjectives.Length)]} {nouns[random.Next(nouns.Length)]}";
            set.Add(random.Next(2) == 0 ? phrase : $"{phrase} {places[random.Next(places.Length)]}");
        }

        return [.. set];
    }
}
