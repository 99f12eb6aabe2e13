namespace MultiModalSearch.Bench;

/// <summary>
/// Synthetic unit vectors shaped like CLIP image embeddings rather than uniform noise: uniform random vectors are the
/// worst case for HNSW and unlike real collections, which are clustered (many photos of few scenes) and share a
/// common direction. Centres are a shared direction plus a random one (pairwise cosine about 0.5); each vector is a
/// random centre plus noise of norm 0.6 (cosine about 0.86 to its centre), normalised. Deterministic per seed.
/// </summary>
internal sealed class ClusteredVectors
{
    private const double NoiseNorm = 0.6;
    private readonly float[][] centres;
    private readonly int dim;

    public ClusteredVectors(int dim, int centreCount, int seed)
    {
        this.dim = dim;
        var random = new Random(seed);
        var common = Gaussian(random, dim, 1.0 / Math.Sqrt(dim));
        centres = Enumerable.Range(0, centreCount)
            .Select(_ => Normalised(Add(common, Gaussian(random, dim, 1.0 / Math.Sqrt(dim))))).ToArray();
    }

    /// <summary>Rows [start, start + count) of the data set; chunk by chunk in parallel, each chunk seeded by its start.</summary>
    public float[][] Rows(int start, int count, int seedOffset)
    {
        var random = new Random(unchecked((start * 7919) + seedOffset));
        var rows = new float[count][];
        for (var i = 0; i < count; i++)
        {
            var centre = centres[random.Next(centres.Length)];
            rows[i] = Normalised(Add(centre, Gaussian(random, dim, NoiseNorm / Math.Sqrt(dim))));
        }

        return rows;
    }

    private static float[] Gaussian(Random random, int length, double sigma)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            // Box-Muller; 1 - NextDouble() is in (0, 1], so the log is finite.
            values[i] = (float)(sigma * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }

        return values;
    }

    private static float[] Add(float[] a, float[] b)
    {
        var sum = new float[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            sum[i] = a[i] + b[i];
        }

        return sum;
    }

    private static float[] Normalised(float[] v)
    {
        var norm = (float)Math.Sqrt(v.Sum(x => (double)x * x));
        for (var i = 0; i < v.Length; i++)
        {
            v[i] /= norm;
        }

        return v;
    }
}
