using System.Globalization;

namespace MultiModalSearch.Bench;

/// <summary>
/// Issue 18 item 8: PDF pages/s ingested end to end, <c>mms ingest</c> with a bge-small-shaped embedder (random
/// weights) against a Python pipeline doing the text half of the same work (bench/baselines/pymupdf_bert_ingest_baseline.py:
/// PyMuPDF text blocks, WordPiece token counting, passages to the same budget and overlap though cut plainly, at any
/// id and page by page, and the plain PyTorch eager BERT in fp32). Each side is a child process timed from start to
/// exit (model loading included), alternating in one run; each <c>mms ingest</c> goes into a fresh database, once in
/// fp32 and once in its default dtype (bf16 on CPUs with bf16 units). Ours also finds figures, renders their crops
/// with PDFium, embeds them with the bundled CLIP and writes everything to PostgreSQL, which the peer does not do.
/// </summary>
internal sealed class IngestBenchmark(BenchPaths paths, string pdfs, int runs)
{
    private const int Tokens = 256;

    public async Task RunAsync()
    {
        var documents = Directory.GetFiles(pdfs, "*.pdf");
        if (documents.Length == 0)
        {
            throw new InvalidOperationException($"no PDFs in {pdfs}: run scripts/setup.sh (it fetches the Debian manuals into .mms/data/debian-docs) or pass --pdfs DIR");
        }

        var embedder = RandomBertFolder.EnsureBgeSmall(paths, Tokens);
        var clip = Path.Combine(paths.RepoRoot, "models", "emoji-clip");
        var script = Path.Combine(paths.RepoRoot, "bench", "baselines", "pymupdf_bert_ingest_baseline.py");
        var threads = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture);
        var ours = new Measurement("ours: mms ingest, default dtype (bf16 here), text, figures, PostgreSQL", "pages/s");
        var oursFp32 = new Measurement("ours: mms ingest --dtype fp32, text, figures, PostgreSQL", "pages/s");
        var python = new Measurement("Python: PyMuPDF + PyTorch eager BERT (text only)", "pages/s");
        var oursRss = new Measurement("ours, default dtype", "MiB");
        var oursFp32Rss = new Measurement("ours, fp32", "MiB");
        var pythonRss = new Measurement("Python", "MiB");
        var work = new List<string>();
        await using var database = await BenchDatabase.StartAsync(paths);
        for (var run = 0; run < runs; run++)
        {
            foreach (var (dtype, measurement, rss) in new[] { ("auto", ours, oursRss), ("fp32", oursFp32, oursFp32Rss) })
            {
                Console.Error.WriteLine($"run {run + 1}/{runs}: ours, --dtype {dtype}");
                var url = await database.CreateFreshAsync("mms_bench_ingest");
                var ingested = ChildProcess.RunDotnet(paths.MmsDll,
                    ["ingest", pdfs, "--collection", "manuals", "--model", clip, "--text-model", embedder, "--dtype", dtype, "--db", url, "--json"]);
                var counts = ingested.Json().GetProperty("documents");
                var pages = counts.GetProperty("pages").GetInt32();
                measurement.Add(pages / ingested.WallSeconds);
                rss.Add(ingested.PeakRssMiB);
                work.Add($"ours --dtype {dtype} run {run + 1}: {pages} pages, {counts.GetProperty("passages").GetInt32()} passages, {counts.GetProperty("figures").GetInt32()} figures, {ingested.WallSeconds:F1} s");
                await database.DropAsync("mms_bench_ingest");
            }

            Console.Error.WriteLine($"run {run + 1}/{runs}: Python");
            var baseline = ChildProcess.Run(PythonBaseline.Python, [script, "--pdfs", pdfs, "--vocab", Path.Combine(embedder, "vocab.txt"), "--tokens", $"{Tokens}", "--threads", threads]);
            var result = baseline.Json();
            python.Add(result.GetProperty("pages").GetInt32() / baseline.WallSeconds);
            pythonRss.Add(baseline.PeakRssMiB);
            work.Add($"Python run {run + 1}: {result.GetProperty("pages").GetInt32()} pages, {result.GetProperty("passages").GetInt32()} passages ({result.GetProperty("tokens").GetInt32()} tokens), {baseline.WallSeconds:F1} s");
        }

        BenchReport.Print("PDF ingestion end to end", [(python, null), (oursFp32, python), (ours, python)],
        [
            $"{documents.Length} PDFs in {pdfs}; bge-small-shaped embedder (random weights, {Tokens}-token passages, 32 overlap), {threads} threads; wall time per process, model loading included",
            .. work,
        ]);
        BenchReport.PrintGrid("Peak RSS", ["process", "median MiB", "runs (min - max)"],
            [[oursRss.Name, $"{oursRss.Median:F0}", oursRss.Range], [oursFp32Rss.Name, $"{oursFp32Rss.Median:F0}", oursFp32Rss.Range],
             ["Python", $"{pythonRss.Median:F0}", pythonRss.Range]], []);
    }
}
