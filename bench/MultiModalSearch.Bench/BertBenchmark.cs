using System.Diagnostics;
using System.Globalization;
using MultiModalSearch.Models.Bert;
using MultiModalSearch.Models.Compute;
using MultiModalSearch.Models.Tokenization.WordPiece;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Bench;

/// <summary>
/// Issue 17 (6): passages/s of a bge-small-shaped sentence embedder and pairs/s of a MiniLM-L6-shaped cross-encoder
/// at 256 tokens, ours (fp32, and bf16 where the CPU has bf16 units) against plain PyTorch eager, alternating in one
/// run; from ready token ids (what the baseline is fed) and from texts (our tokenizer included). Also the bf16 results'
/// agreement with fp32.
/// </summary>
internal sealed class BertBenchmark(BenchPaths paths, int batch, int tokens, double seconds, int runs)
{
    // BAAI/bge-small-en-v1.5 and cross-encoder/ms-marco-MiniLM-L-6-v2: hidden 384, 12 heads, intermediate 1536.
    private static readonly BertConfig MiniLmL6 = RandomBertFolder.BgeSmall with { NumHiddenLayers = 6 };

    public void Run()
    {
        var threads = Environment.ProcessorCount;
        torch.set_num_threads(threads);
        var bf16 = CpuFeatures.HasFastBFloat16 ? ComputeOptions.Cpu with { DType = ScalarType.BFloat16 } : null;
        var embedderFolder = RandomBertFolder.EnsureBgeSmall(paths, tokens);
        var rerankerFolder = RandomBertFolder.Ensure(paths, "minilm-l6-cross-encoder-random", MiniLmL6, classifier: true, tokens);
        using var embedder = SentenceEmbedder.Open(embedderFolder, ComputeOptions.Cpu);
        using var embedderHalf = bf16 is null ? null : SentenceEmbedder.Open(embedderFolder, bf16);
        using var reranker = CrossEncoderReranker.Open(rerankerFolder, ComputeOptions.Cpu);
        using var rerankerHalf = bf16 is null ? null : CrossEncoderReranker.Open(rerankerFolder, bf16);

        var random = new Random(20261123);
        using var passages = BertBatch.Create(RandomEncodings(random, embedder.Tokenizer, query: 0), embedder.Tokenizer.PadId);
        using var pairs = BertBatch.Create(RandomEncodings(random, reranker.Tokenizer, query: tokens / 8), reranker.Tokenizer.PadId);
        var passageTexts = RandomTexts(random, embedder.Tokenizer, batch);
        var pairTexts = passageTexts.Select(p => (string.Join(' ', p.Split(' ').Take(tokens / 10)), p)).ToList();

        using (var check = BertBatch.Create([.. passageTexts.Select(embedder.Tokenizer.EncodeSingle)], embedder.Tokenizer.PadId))
        {
            // The rows from texts must do the same work as the rows from ids.
            if (check.InputIds.shape[1] != tokens)
            {
                throw new InvalidOperationException($"the texts tokenise to {check.InputIds.shape[1]} ids, not {tokens}");
            }
        }

        var shape = $"batch {batch}, {tokens} tokens";
        var m = new Dictionary<string, Measurement>
        {
            ["torch-embed"] = new($"PyTorch eager fp32, bge-small embedder ({shape})", "passages/s"),
            ["embed"] = new($"ours fp32, bge-small embedder ({shape})", "passages/s"),
            ["embed-half"] = new($"ours bf16, bge-small embedder ({shape})", "passages/s"),
            ["embed-text"] = new($"ours fp32, bge-small embedder from texts (tokenizer included)", "passages/s"),
            ["torch-rerank"] = new($"PyTorch eager fp32, MiniLM-L6 cross-encoder ({shape})", "pairs/s"),
            ["rerank"] = new($"ours fp32, MiniLM-L6 cross-encoder ({shape})", "pairs/s"),
            ["rerank-half"] = new($"ours bf16, MiniLM-L6 cross-encoder ({shape})", "pairs/s"),
            ["rerank-text"] = new($"ours fp32, MiniLM-L6 cross-encoder from texts (tokenizer included)", "pairs/s"),
        };
        var common = new[] { "--batch", Text(batch), "--tokens", Text(tokens), "--seconds", Text(seconds), "--threads", Text(threads) };
        for (var run = 0; run < runs; run++)
        {
            Console.Error.WriteLine($"run {run + 1}/{runs}");
            m["embed"].Add(Rate(batch, () => embedder.Embed(passages).Dispose()));
            m["torch-embed"].Add(BertBaseline(["embed", .. common]));
            m["embed-text"].Add(Rate(passageTexts.Count, () => embedder.EmbedTexts(passageTexts, batch)));
            m["rerank"].Add(Rate(batch, () => reranker.Logits(pairs).Dispose()));
            m["torch-rerank"].Add(BertBaseline(["rerank", .. common]));
            m["rerank-text"].Add(Rate(pairTexts.Count, () => reranker.ScorePairs(pairTexts, batch)));
            if (embedderHalf is not null && rerankerHalf is not null)
            {
                m["embed-half"].Add(Rate(batch, () => embedderHalf.Embed(passages).Dispose()));
                m["rerank-half"].Add(Rate(batch, () => rerankerHalf.Logits(pairs).Dispose()));
            }
        }

        var notes = new List<string>
        {
            $"random weights (normal 0.02), {threads} threads, cpu; the same ids on both sides have no padding; " +
            $"from texts: {passageTexts.Count} random-word passages cut to {tokens} ids, {pairTexts.Count} (query, passage) pairs",
        };
        if (embedderHalf is not null && rerankerHalf is not null)
        {
            notes.Add(Agreement(embedder, embedderHalf, reranker, rerankerHalf, passageTexts, pairTexts));
        }
        else
        {
            notes.Add("bf16 not measured: this CPU has neither AVX512-BF16 nor AMX");
        }

        var rows = new List<(Measurement, Measurement?)>
        {
            (m["torch-embed"], null), (m["embed"], m["torch-embed"]), (m["embed-text"], m["torch-embed"]),
            (m["torch-rerank"], null), (m["rerank"], m["torch-rerank"]), (m["rerank-text"], m["torch-rerank"]),
        };
        if (embedderHalf is not null)
        {
            rows.Insert(3, (m["embed-half"], m["torch-embed"]));
            rows.Add((m["rerank-half"], m["torch-rerank"]));
        }

        BenchReport.Print("BERT sentence embedder and cross-encoder throughput", rows, notes);
    }

    private static string Agreement(SentenceEmbedder full, SentenceEmbedder half, CrossEncoderReranker fullReranker, CrossEncoderReranker halfReranker,
        List<string> passages, List<(string, string)> pairs)
    {
        var a = full.EmbedTexts(passages);
        var b = half.EmbedTexts(passages);
        var minCosine = a.Zip(b, (x, y) => x.Zip(y, (p, q) => (double)p * q).Sum()).Min();
        var logits = fullReranker.ScorePairs(pairs);
        var halfLogits = halfReranker.ScorePairs(pairs);
        var maxDifference = logits.Zip(halfLogits, (x, y) => Math.Abs(x - y)).Max();
        var spread = StandardDeviation(logits);
        // Random weights score every pair alike, so the logits' spread is tiny; the correlation says whether the
        // ranking survives bf16, the difference how far each score moves.
        var meanA = logits.Average();
        var meanB = halfLogits.Average();
        var covariance = logits.Zip(halfLogits, (x, y) => (x - meanA) * (y - meanB)).Average();
        var correlation = covariance / (spread * StandardDeviation(halfLogits));
        return $"bf16 vs fp32 (same weights and texts): embeddings min cosine {minCosine:F5}; reranker logits max |difference| " +
               $"{maxDifference:G3}, Pearson r {correlation:F4} (fp32 logits' standard deviation over the pairs {spread:G3})";
    }

    private static double StandardDeviation(float[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
    }

    // [CLS] random word pieces [SEP], or [CLS] query [SEP] passage [SEP] with segments 0 then 1: all `tokens` long.
    private List<BertEncoding> RandomEncodings(Random random, BertWordPieceTokenizer tokenizer, int query)
    {
        return Enumerable.Range(0, batch).Select(_ =>
        {
            var ids = Enumerable.Range(0, tokens).Select(_ => random.Next(1000, tokenizer.VocabularySize)).ToArray();
            var types = new int[tokens];
            ids[0] = tokenizer.ClsId;
            ids[^1] = tokenizer.SepId;
            if (query > 0)
            {
                ids[query] = tokenizer.SepId;
                Array.Fill(types, 1, query + 1, tokens - query - 1);
            }

            return new BertEncoding(ids, types);
        }).ToList();
    }

    // Whole words of the vocabulary (no ## pieces, no [unused]), enough of them that every passage is cut at `tokens`.
    private List<string> RandomTexts(Random random, BertWordPieceTokenizer tokenizer, int count)
    {
        var words = Enumerable.Range(1000, tokenizer.VocabularySize - 1000).Select(tokenizer.IdToToken)
            .Where(t => t is { Length: > 1 } && t.All(char.IsAsciiLetterLower)).Cast<string>().ToArray();
        return Enumerable.Range(0, count).Select(_ => string.Join(' ', Enumerable.Range(0, tokens + 40).Select(_ => words[random.Next(words.Length)]))).ToList();
    }

    private double BertBaseline(string[] arguments) => PythonBaseline.Run(paths.RepoRoot, "pytorch_bert_baseline.py", arguments).GetProperty("per_s").GetDouble();

    private double Rate(int perCall, Action call)
    {
        call(); // warm-up: first call allocates and picks kernels
        var count = 0L;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            call();
            count += perCall;
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
