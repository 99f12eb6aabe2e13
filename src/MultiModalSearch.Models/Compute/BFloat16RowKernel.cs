using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MultiModalSearch.Models.Compute;

/// <summary>
/// y = W x for bf16 weights [out, in] and one float32 row x, accumulated in float32 and rounded to bf16 (round to
/// nearest even), as a bf16 linear layer does. bf16 is the top half of a float32, so each weight widens with a shift;
/// rows are split across threads. Memory-bound by design: it reads each weight once, which is all a batch-1 decoding
/// step can do.
/// </summary>
internal static unsafe class BFloat16RowKernel
{
    public static bool IsSupported => Avx512F.IsSupported || (Avx2.IsSupported && Fma.IsSupported);

    /// <param name="weights">[outFeatures, inFeatures] bf16, row-major.</param>
    /// <param name="input">inFeatures float32 values.</param>
    /// <param name="bias">outFeatures float32 values, or null.</param>
    /// <param name="output">outFeatures bf16 values.</param>
    public static void Multiply(ushort* weights, float* input, float* bias, ushort* output, int inFeatures, int outFeatures, int threads)
    {
        var (w, x, b, y) = ((nint)weights, (nint)input, (nint)bias, (nint)output);
        var parts = Math.Clamp(threads, 1, Math.Max(1, outFeatures / 64));
        if (parts == 1)
        {
            Rows((ushort*)w, (float*)x, (float*)b, (ushort*)y, inFeatures, 0, outFeatures);
            return;
        }

        var block = (outFeatures + parts - 1) / parts;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
            Rows((ushort*)w, (float*)x, (float*)b, (ushort*)y, inFeatures, part * block, Math.Min(outFeatures, (part + 1) * block)));
    }

    private static void Rows(ushort* weights, float* x, float* bias, ushort* y, int inFeatures, int from, int to)
    {
        for (var r = from; r < to; r++)
        {
            var row = weights + ((long)r * inFeatures);
            var sum = Avx512F.IsSupported ? Dot512(row, x, inFeatures) : Dot256(row, x, inFeatures);
            y[r] = ToBFloat16(bias == null ? sum : sum + bias[r]);
        }
    }

    private static float Dot512(ushort* row, float* x, int count)
    {
        var acc0 = Vector512<float>.Zero;
        var acc1 = Vector512<float>.Zero;
        var i = 0;
        for (; i + 32 <= count; i += 32)
        {
            var w0 = Avx512F.ShiftLeftLogical(Avx512F.ConvertToVector512UInt32(Vector256.Load(row + i)), 16).AsSingle();
            var w1 = Avx512F.ShiftLeftLogical(Avx512F.ConvertToVector512UInt32(Vector256.Load(row + i + 16)), 16).AsSingle();
            acc0 = Avx512F.FusedMultiplyAdd(w0, Vector512.Load(x + i), acc0);
            acc1 = Avx512F.FusedMultiplyAdd(w1, Vector512.Load(x + i + 16), acc1);
        }

        var sum = Vector512.Sum(acc0 + acc1);
        for (; i < count; i++)
        {
            sum += ToSingle(row[i]) * x[i];
        }

        return sum;
    }

    private static float Dot256(ushort* row, float* x, int count)
    {
        var acc0 = Vector256<float>.Zero;
        var acc1 = Vector256<float>.Zero;
        var i = 0;
        for (; i + 16 <= count; i += 16)
        {
            var w0 = Avx2.ShiftLeftLogical(Avx2.ConvertToVector256Int32(Vector128.Load(row + i)), 16).AsSingle();
            var w1 = Avx2.ShiftLeftLogical(Avx2.ConvertToVector256Int32(Vector128.Load(row + i + 8)), 16).AsSingle();
            acc0 = Fma.MultiplyAdd(w0, Vector256.Load(x + i), acc0);
            acc1 = Fma.MultiplyAdd(w1, Vector256.Load(x + i + 8), acc1);
        }

        var sum = Vector256.Sum(acc0 + acc1);
        for (; i < count; i++)
        {
            sum += ToSingle(row[i]) * x[i];
        }

        return sum;
    }

    public static float ToSingle(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    /// <summary>float32 to bf16, rounding to nearest even as torch does (NaN stays NaN).</summary>
    public static ushort ToBFloat16(float value)
    {
        var bits = (uint)BitConverter.SingleToInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x40);
        }

        return (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
    }
}
