using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MultiModalSearch.Abstractions.Retrieval;
using MultiModalSearch.Storage.Postgres;

namespace MultiModalSearch.Bench;

/// <summary>
/// `bench service --rows N`: our query service (`mms serve`) and the Python peer (bench/baselines/python_query_service.py:
/// FastAPI + uvicorn workers + PyTorch eager + psycopg) side by side over the same database and vectors
/// (<see cref="ServiceData"/>), each loaded by Debian's wrk from a separate process on loopback with texts that never
/// repeat within a service, so no cache answers for the model. Reports p50, p99 and requests/s at each concurrency
/// (median of the runs, alternating the services), recall@10 of stage one against exact search for each ef_search,
/// and each service's peak memory (VmHWM; the Python side summed over its worker processes).
/// </summary>
internal sealed partial class ServiceBenchmark(BenchPaths paths, int rows, int runs, int seconds, int[] concurrencies, int[] efSearches, int efSearch)
{
    private const int RecallQueries = 200;
    private const int QuerySeed = 1_000_003;
    private const int OurPort = 18480;
    private const int PythonPort = 18481;

    public async Task RunAsync()
    {
        Require("wrk", "wrk (Debian package wrk; scripts/setup.sh --bench)");
        await using var database = await BenchDatabase.StartAsync(paths);
        var data = new ServiceData(paths, rows);
        var connection = await data.EnsureAsync(database);
        var recall = await RecallAsync(connection);
        var queries = Path.Combine(paths.Root, "service-queries");
        Directory.CreateDirectory(queries);

        using var ours = StartOurs(connection);
        using var python = StartPython(database.LibpqConnectionString(data.DatabaseName), await CollectionIdAsync(connection));
        await WaitReadyAsync($"http://127.0.0.1:{OurPort}/readyz", ours);
        await WaitReadyAsync($"http://127.0.0.1:{PythonPort}/healthz", python);

        // Unrecorded warm-up of each service (JIT, connection pools, the first queries' page faults), with texts of their own.
        var warmup = WriteQueries(queries, 99);
        Wrk(OurPort, "/api/search", 8, warmup, "{\"collection\":\"bench\",", 5);
        Wrk(PythonPort, "/search", 8, warmup, "{", 5);
        var results = new List<(string Service, int Concurrency, int Run, WrkResult Result)>();
        for (var run = 0; run < runs; run++)
        {
            foreach (var concurrency in concurrencies)
            {
                // The same never-seen texts for both services in this (run, concurrency).
                var file = WriteQueries(queries, (run * 100) + concurrency);
                foreach (var (name, port, prefix) in new[] { ("ours", OurPort, "{\"collection\":\"bench\","), ("python", PythonPort, "{") })
                {
                    var result = Wrk(port, name == "ours" ? "/api/search" : "/search", concurrency, file, prefix);
                    results.Add((name, concurrency, run, result));
                    Console.Error.WriteLine($"  run {run + 1}/{runs} c={concurrency} {name}: p50 {result.P50Ms:F1} ms, p99 {result.P99Ms:F1} ms, {result.RequestsPerSecond:F0} req/s, {result.Errors} errors");
                }
            }
        }

        var memory = (Ours: PeakMiB(ours.Id), Python: PeakMiB(python.Id));
        Stop(ours);
        Stop(python);
        Report(results, recall, memory);
    }

    private async Task<List<(int Ef, double Recall, double Milliseconds)>> RecallAsync(string connection)
    {
        var clock = Stopwatch.StartNew();
        var all = ServiceData.Generate(rows);
        var queries = ServiceData.Generator().Rows(0, RecallQueries, QuerySeed);
        var truth = ExactNeighbours.TopK(all, queries, 10);
        all = [];
        GC.Collect();
        Console.Error.WriteLine($"service: exact neighbours of {RecallQueries} queries in {clock.Elapsed.TotalSeconds:F0} s");
        await using var storage = await PostgresDatabase.ConnectAsync(connection);
        var collection = (await storage.Collections.FindAsync(ServiceData.Collection))!;
        var measured = new List<(int, double, double)>();
        foreach (var ef in efSearches)
        {
            var found = 0;
            var timer = Stopwatch.StartNew();
            for (var q = 0; q < queries.Length; q++)
            {
                var candidates = await storage.Retrieval.NearestAsync(collection, new CandidateQuery(queries[q], 10, ef, SearchFilter.None));
                found += candidates.Candidates.Count(c => truth[q].Contains(ServiceData.RowOf(c.Content.ContentHash)));
            }

            measured.Add((ef, found / (double)(queries.Length * 10), timer.Elapsed.TotalMilliseconds / queries.Length));
            Console.Error.WriteLine($"  ef_search {ef}: recall@10 {measured[^1].Item2:F4}, {measured[^1].Item3:F2} ms/query (stage one alone, one connection)");
        }

        return measured;
    }

    private Process StartOurs(string connection)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { paths.MmsDll, "serve", "--urls", $"http://127.0.0.1:{OurPort}", "--db", connection, "--device", "cpu" })
        {
            start.ArgumentList.Add(argument);
        }

        // The load comes from one address: the per-client limiter would measure itself. Per-request log lines go to a pipe
        // nobody reads at this rate; warnings stay on.
        start.Environment["MMS_Service__RateLimit__PermitsPerSecond"] = "1000000";
        start.Environment["MMS_Service__RateLimit__Burst"] = "1000000";
        start.Environment["MMS_Logging__LogLevel__Default"] = "Warning";
        start.Environment["MMS_Search__MinEfSearch"] = efSearch.ToString(CultureInfo.InvariantCulture);
        // The width measured is exactly --ef: no growth with the collection's size on top.
        start.Environment["MMS_Search__ContentsPerEfStep"] = "0";
        start.Environment["MMS_Search__EfSearchPerResult"] = "1";
        start.Environment["HF_HUB_OFFLINE"] = "1";
        return Launch(start, "ours");
    }

    private Process StartPython(string libpq, int collectionId)
    {
        var script = Path.Combine(paths.RepoRoot, "bench", "baselines", "python_query_service.py");
        // The product's own stage-one statement and the same join to the paths, so both sides do the same database work.
        var expression = $"(embedding_half::halfvec({ServiceData.Dim}))";
        var sql = $"WITH nearest AS MATERIALIZED (SELECT content_hash, {expression} <=> %(q)s::halfvec AS distance FROM embeddings " +
                  $"WHERE collection_id = {collectionId} ORDER BY {expression} <=> %(q)s::halfvec LIMIT %(k)s) " +
                  $"SELECT encode(n.content_hash, 'hex'), n.distance, (SELECT array_agg(a.path ORDER BY a.path) FROM assets a " +
                  $"WHERE a.collection_id = {collectionId} AND a.content_hash = n.content_hash AND a.status = 'indexed') FROM nearest n ORDER BY n.distance";
        var start = new ProcessStartInfo(PythonBaseline.Python) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { script, "--db", libpq, "--sql", sql, "--config", paths.DefaultConfig, "--vocab", paths.RandomModel,
                     "--port", PythonPort.ToString(CultureInfo.InvariantCulture), "--workers", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
                     "--threads", "1", "--ef-search", efSearch.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        return Launch(start, "python");
    }

    private static Process Launch(ProcessStartInfo start, string name)
    {
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start the {name} service");
        // Drain both pipes so a chatty child never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line && (line.Contains("error", StringComparison.OrdinalIgnoreCase) || line.Contains("fail", StringComparison.OrdinalIgnoreCase)))
            {
                Console.Error.WriteLine($"  [{name}] {line}");
            }
        };
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
                throw new InvalidOperationException($"the service behind {url} exited with {process.ExitCode}");
            }

            try
            {
                if ((await client.GetAsync(url)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Still starting.
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"{url} did not become ready");
    }

    private static string WriteQueries(string folder, int seed)
    {
        string[] adjectives = ["red", "small", "old", "happy", "wet", "bright", "wooden", "striped", "sleepy", "golden", "broken", "tall", "frozen", "empty", "noisy", "green"];
        string[] nouns = ["dog on a beach", "car in the rain", "birthday cake with candles", "mountain lake at dawn", "cat on a sofa", "city street at night",
            "bowl of ramen", "child with a kite", "sailing boat", "forest path", "bicycle by a wall", "plate of pasta", "snowy village", "red bridge"];
        var file = Path.Combine(folder, $"queries-{seed}.txt");
        using var writer = new StreamWriter(file);
        for (var i = 0; i < 100_000; i++)
        {
            writer.WriteLine($"a photo of a {adjectives[i % adjectives.Length]} {nouns[(i / adjectives.Length) % nouns.Length]} number {(seed * 1_000_000L) + i}");
        }

        return file;
    }

    private WrkResult Wrk(int port, string path, int concurrency, string queries, string prefix, int? duration = null)
    {
        var start = new ProcessStartInfo("wrk") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-t", Math.Min(concurrency, 2).ToString(CultureInfo.InvariantCulture), "-c", concurrency.ToString(CultureInfo.InvariantCulture),
                     "-d", $"{duration ?? seconds}s", "--timeout", "10s", "--latency", "-s", Path.Combine(paths.RepoRoot, "bench", "wrk", "search.lua"), $"http://127.0.0.1:{port}{path}" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["QUERIES"] = queries;
        start.Environment["BODY_PREFIX"] = prefix;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return WrkResult.Parse(output);
    }

    private static async Task<int> CollectionIdAsync(string connection)
    {
        await using var storage = await PostgresDatabase.ConnectAsync(connection);
        return (await storage.Collections.FindAsync(ServiceData.Collection))!.Id;
    }

    /// <summary>The high-water mark of resident memory of a process and all its descendants (uvicorn's workers), in MiB.</summary>
    private static double PeakMiB(int pid)
    {
        double total = 0;
        var pending = new Stack<int>([pid]);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            var status = Path.Combine("/proc", current.ToString(CultureInfo.InvariantCulture), "status");
            if (File.Exists(status) && VmHwm().Match(File.ReadAllText(status)) is { Success: true } match)
            {
                total += double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) / 1024;
            }

            foreach (var children in Directory.Exists($"/proc/{current}/task") ? Directory.GetDirectories($"/proc/{current}/task") : [])
            {
                var list = Path.Combine(children, "children");
                foreach (var child in File.Exists(list) ? File.ReadAllText(list).Split(' ', StringSplitOptions.RemoveEmptyEntries) : [])
                {
                    pending.Push(int.Parse(child, CultureInfo.InvariantCulture));
                }
            }
        }

        return total;
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
            if (!process.WaitForExit(30_000))
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static void Require(string tool, string package)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool)));
        if (!found)
        {
            throw new InvalidOperationException($"{tool} is missing: install {package}");
        }
    }

    private void Report(List<(string Service, int Concurrency, int Run, WrkResult Result)> results, List<(int Ef, double Recall, double Milliseconds)> recall, (double Ours, double Python) memory)
    {
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }

        string F(double value, string format = "F1") => value.ToString(format, CultureInfo.InvariantCulture);
        var table = new List<IReadOnlyList<string>>();
        foreach (var concurrency in concurrencies)
        {
            var ours = results.Where(r => r.Service == "ours" && r.Concurrency == concurrency).Select(r => r.Result).ToList();
            var python = results.Where(r => r.Service == "python" && r.Concurrency == concurrency).Select(r => r.Result).ToList();
            table.Add(
            [
                concurrency.ToString(CultureInfo.InvariantCulture),
                F(Median(ours.Select(r => r.P50Ms))), F(Median(ours.Select(r => r.P99Ms))), F(Median(ours.Select(r => r.RequestsPerSecond)), "F0"),
                F(Median(python.Select(r => r.P50Ms))), F(Median(python.Select(r => r.P99Ms))), F(Median(python.Select(r => r.RequestsPerSecond)), "F0"),
                F(Median(ours.Select(r => r.RequestsPerSecond)) / Median(python.Select(r => r.RequestsPerSecond)), "F2") + "x",
                string.Join(" / ", ours.Select(r => F(r.RequestsPerSecond, "F0"))) + " vs " + string.Join(" / ", python.Select(r => F(r.RequestsPerSecond, "F0"))),
                (ours.Sum(r => r.Errors) + python.Sum(r => r.Errors)).ToString(CultureInfo.InvariantCulture),
            ]);
        }

        BenchReport.PrintGrid($"Query service: text to image over {rows} clustered 512-d vectors, k 10, ef_search {efSearch}",
            ["concurrency", "ours p50 ms", "ours p99 ms", "ours req/s", "python p50 ms", "python p99 ms", "python req/s", "req/s ratio", "req/s per run (ours vs python)", "non-2xx"],
            table,
        [
            $"{runs} runs of {seconds} s per service and concurrency, alternating, after 5 s of unrecorded warm-up each; medians; wrk -t min(c,2) from this machine ({Environment.ProcessorCount} cores shared with the services)",
            $"peak memory (VmHWM): ours {F(memory.Ours, "F0")} MiB, python {F(memory.Python, "F0")} MiB (all {Environment.ProcessorCount} uvicorn workers)",
        ]);
        BenchReport.PrintGrid($"Stage one recall@10 against exact search, {rows} rows, {RecallQueries} queries", ["ef_search", "recall@10", "ms/query"],
            recall.Select(r => (IReadOnlyList<string>)[r.Ef.ToString(CultureInfo.InvariantCulture), F(r.Recall, "F4"), F(r.Milliseconds, "F2")]).ToList(), []);
    }

    [GeneratedRegex(@"VmHWM:\s+(\d+) kB")]
    private static partial Regex VmHwm();
}
