using System.Numerics;
using System.Runtime.InteropServices;

namespace MultiModalSearch.Core.Retrieval;

/// <summary>Cosine similarity of unit vectors (stored embeddings are L2-normalised, so it is their dot product).</summary>
internal static class VectorMath
{
    public static double Cosine(float[] a, float[] b)
    {
        var lanes = Vector<float>.Count;
        var wide = MemoryMarshal.Cast<float, Vector<float>>(a.AsSpan());
        var wideB = MemoryMarshal.Cast<float, Vector<float>>(b.AsSpan(0, a.Length));
        var sum = Vector<float>.Zero;
        for (var i = 0; i < wide.Length; i++)
        {
            sum += wide[i] * wideB[i];
        }

        var total = (double)Vector.Sum(sum);
        for (var i = wide.Length * lanes; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }

        return total;
    }
}
