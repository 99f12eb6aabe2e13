using System.Buffers;
using System.Runtime.CompilerServices;

namespace MultiModalSearch.Imaging;

/// <summary>
/// Pillow's 8-bit separable convolution resize (libImaging/Resample.c semantics, own code),
/// evaluated only for one output window. Every output pixel of Pillow's resize depends only on
/// its own coefficient row, so producing just the centre-crop window gives the same bytes as
/// resizing everything and cropping afterwards, at a fraction of the work.
/// </summary>
internal static unsafe class PillowResampler
{
    // 32 bits minus 8 for the pixel value minus 2 for the sign and headroom, as in Pillow.
    private const int PrecisionBits = 32 - 8 - 2;
    private const int Half = 1 << (PrecisionBits - 1);

    /// <summary>Output window of a full (outWidth x outHeight) resize.</summary>
    public readonly record struct Window(int OutWidth, int OutHeight, int X, int Y, int Width, int Height);

    /// <summary>
    /// Convolution resize of <paramref name="src"/> (interleaved, <paramref name="bands"/> bytes
    /// per pixel) to the full output size, writing only the window into <paramref name="dst"/>
    /// (window.Width * window.Height * bands bytes). Horizontal pass first, 8-bit intermediate,
    /// and a pass is skipped when its dimension keeps its size, all as Pillow does.
    /// </summary>
    public static void Resize(byte* src, int width, int height, int bands, int filter, Window w, byte* dst)
    {
        bool needH = w.OutWidth != width;
        bool needV = w.OutHeight != height;
        if (!needH && !needV)
        {
            CopyWindow(src, width, bands, w.X, w.Y, w.Width, w.Height, dst);
            return;
        }

        var vert = needV ? Coefficients.Compute(height, w.OutHeight, filter, w.Y, w.Height) : null;
        var horiz = needH ? Coefficients.Compute(width, w.OutWidth, filter, w.X, w.Width) : null;
        byte[]? tempArray = null;
        try
        {
            if (!needV)
            {
                // Only horizontal: rows of the window straight from the source.
                HorizontalPass(src + (long)w.Y * width * bands, width * bands, w.Height, bands, horiz!, dst);
                return;
            }

            // Source rows the vertical pass reads for the window's rows.
            int firstRow = vert!.First;
            int rowCount = vert.Last - firstRow;
            byte* rows;
            int rowStride;
            if (needH)
            {
                rowStride = w.Width * bands;
                tempArray = ArrayPool<byte>.Shared.Rent(rowStride * rowCount);
                fixed (byte* temp = tempArray)
                {
                    HorizontalPass(src + (long)firstRow * width * bands, width * bands, rowCount, bands, horiz!, temp);
                    VerticalPass(temp, rowStride, firstRow, w.Width * bands, vert, dst);
                }
                return;
            }

            rowStride = width * bands;
            rows = src + (long)firstRow * rowStride + (long)w.X * bands;
            VerticalPass(rows, rowStride, firstRow, w.Width * bands, vert, dst);
        }
        finally
        {
            if (tempArray is not null)
                ArrayPool<byte>.Shared.Return(tempArray);
            vert?.Dispose();
            horiz?.Dispose();
        }
    }

    /// <summary>
    /// Pillow's NEAREST resize (ImagingScaleAffine): source index = (int)(offset accumulated by
    /// repeated double addition of in/out), which is reproduced literally because the
    /// accumulated rounding decides ties at some positions.
    /// </summary>
    public static void Nearest(byte* src, int width, int height, int bands, Window w, byte* dst)
    {
        int[] xs = ArrayPool<int>.Shared.Rent(w.Width);
        try
        {
            NearestIndices(width, w.OutWidth, w.X, w.Width, xs);
            int[] ys = ArrayPool<int>.Shared.Rent(w.Height);
            try
            {
                NearestIndices(height, w.OutHeight, w.Y, w.Height, ys);
                for (int y = 0; y < w.Height; y++)
                {
                    byte* row = src + (long)ys[y] * width * bands;
                    byte* o = dst + (long)y * w.Width * bands;
                    for (int x = 0; x < w.Width; x++)
                    {
                        byte* p = row + xs[x] * bands;
                        for (int b = 0; b < bands; b++)
                            *o++ = p[b];
                    }
                }
            }
            finally
            {
                ArrayPool<int>.Shared.Return(ys);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(xs);
        }
    }

    private static void NearestIndices(int inSize, int outSize, int start, int count, int[] result)
    {
        if (inSize == outSize)
        {
            for (int i = 0; i < count; i++)
                result[i] = start + i;
            return;
        }
        double step = (double)inSize / outSize;
        double pos = step * 0.5;
        for (int i = 0; i < start + count; i++)
        {
            if (i >= start)
                result[i - start] = Math.Clamp(pos < 0.0 ? 0 : (int)pos, 0, inSize - 1);
            pos += step;
        }
    }

    private static void CopyWindow(byte* src, int width, int bands, int x0, int y0, int w, int h, byte* dst)
    {
        int rowBytes = w * bands;
        for (int y = 0; y < h; y++)
            Buffer.MemoryCopy(src + ((long)(y0 + y) * width + x0) * bands, dst + (long)y * rowBytes, rowBytes, rowBytes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Clip8(int value)
    {
        // Arithmetic shift keeps negatives negative, so one clamp covers both ends.
        int v = value >> PrecisionBits;
        return (byte)(v < 0 ? 0 : v > 255 ? 255 : v);
    }

    private static void HorizontalPass(byte* src, int srcStride, int rows, int bands, Coefficients c, byte* dst)
    {
        fixed (int* bounds = c.Bounds)
        fixed (int* kk = c.Kernel)
        {
            for (int y = 0; y < rows; y++)
            {
                byte* inRow = src + (long)y * srcStride;
                byte* o = dst + (long)y * c.Count * bands;
                switch (bands)
                {
                    case 1: HorizontalRow1(inRow, c.Count, c.KernelSize, bounds, kk, o); break;
                    case 3: HorizontalRow3(inRow, c.Count, c.KernelSize, bounds, kk, o); break;
                    case 4: HorizontalRow4(inRow, c.Count, c.KernelSize, bounds, kk, o); break;
                    default: HorizontalRowN(inRow, bands, c.Count, c.KernelSize, bounds, kk, o); break;
                }
            }
        }
    }

    private static void HorizontalRow1(byte* inRow, int count, int ksize, int* bounds, int* kk, byte* o)
    {
        for (int xx = 0; xx < count; xx++)
        {
            byte* p = inRow + bounds[2 * xx];
            int n = bounds[2 * xx + 1];
            int* k = kk + xx * ksize;
            int s = Half;
            for (int x = 0; x < n; x++)
                s += p[x] * k[x];
            o[xx] = Clip8(s);
        }
    }

    private static void HorizontalRow3(byte* inRow, int count, int ksize, int* bounds, int* kk, byte* o)
    {
        for (int xx = 0; xx < count; xx++)
        {
            byte* p = inRow + bounds[2 * xx] * 3;
            int n = bounds[2 * xx + 1];
            int* k = kk + xx * ksize;
            int s0 = Half, s1 = Half, s2 = Half;
            for (int x = 0; x < n; x++, p += 3)
            {
                int kx = k[x];
                s0 += p[0] * kx;
                s1 += p[1] * kx;
                s2 += p[2] * kx;
            }
            o[0] = Clip8(s0);
            o[1] = Clip8(s1);
            o[2] = Clip8(s2);
            o += 3;
        }
    }

    private static void HorizontalRow4(byte* inRow, int count, int ksize, int* bounds, int* kk, byte* o)
    {
        for (int xx = 0; xx < count; xx++)
        {
            byte* p = inRow + bounds[2 * xx] * 4;
            int n = bounds[2 * xx + 1];
            int* k = kk + xx * ksize;
            int s0 = Half, s1 = Half, s2 = Half, s3 = Half;
            for (int x = 0; x < n; x++, p += 4)
            {
                int kx = k[x];
                s0 += p[0] * kx;
                s1 += p[1] * kx;
                s2 += p[2] * kx;
                s3 += p[3] * kx;
            }
            o[0] = Clip8(s0);
            o[1] = Clip8(s1);
            o[2] = Clip8(s2);
            o[3] = Clip8(s3);
            o += 4;
        }
    }

    private static void HorizontalRowN(byte* inRow, int bands, int count, int ksize, int* bounds, int* kk, byte* o)
    {
        for (int xx = 0; xx < count; xx++)
        {
            int n = bounds[2 * xx + 1];
            int* k = kk + xx * ksize;
            for (int b = 0; b < bands; b++)
            {
                byte* p = inRow + bounds[2 * xx] * bands + b;
                int s = Half;
                for (int x = 0; x < n; x++, p += bands)
                    s += *p * k[x];
                *o++ = Clip8(s);
            }
        }
    }

    /// <param name="rows">Row <paramref name="firstRow"/> of the (horizontally resized) image.</param>
    /// <param name="rowBytes">Bytes per output row; columns are already the window's.</param>
    private static void VerticalPass(byte* rows, int rowStride, int firstRow, int rowBytes, Coefficients c, byte* dst)
    {
        int[] accArray = ArrayPool<int>.Shared.Rent(rowBytes);
        try
        {
            fixed (int* acc = accArray)
            fixed (int* bounds = c.Bounds)
            fixed (int* kk = c.Kernel)
            {
                for (int yy = 0; yy < c.Count; yy++)
                {
                    // Row-at-a-time accumulation reads memory contiguously; per-pixel sums and
                    // their order match Pillow's per-pixel loop exactly (integer addition).
                    new Span<int>(acc, rowBytes).Fill(Half);
                    int n = bounds[2 * yy + 1];
                    int* k = kk + yy * c.KernelSize;
                    byte* r = rows + (long)(bounds[2 * yy] - firstRow) * rowStride;
                    for (int y = 0; y < n; y++, r += rowStride)
                    {
                        int ky = k[y];
                        for (int i = 0; i < rowBytes; i++)
                            acc[i] += r[i] * ky;
                    }
                    byte* o = dst + (long)yy * rowBytes;
                    for (int i = 0; i < rowBytes; i++)
                        o[i] = Clip8(acc[i]);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(accArray);
        }
    }

    /// <summary>Fixed-point coefficients for output indices [start, start + count).</summary>
    private sealed class Coefficients : IDisposable
    {
        public int[] Bounds = [];
        public int[] Kernel = [];
        public int KernelSize;
        public int Count;

        /// <summary>First source index used by any output of the window.</summary>
        public int First;

        /// <summary>One past the last source index used by any output of the window.</summary>
        public int Last;

        public static Coefficients Compute(int inSize, int outSize, int filter, int start, int count)
        {
            double scale = (double)inSize / outSize;
            double filterScale = Math.Max(scale, 1.0);
            // Downscaling widens the kernel by the scale factor: this is Pillow's antialiasing.
            double support = PillowFilter.Support(filter) * filterScale;
            int ksize = (int)Math.Ceiling(support) * 2 + 1;
            var c = new Coefficients
            {
                KernelSize = ksize,
                Count = count,
                Bounds = ArrayPool<int>.Shared.Rent(2 * count),
                Kernel = ArrayPool<int>.Shared.Rent(ksize * count),
                First = int.MaxValue,
                Last = 0,
            };
            double[] weights = ArrayPool<double>.Shared.Rent(ksize);
            try
            {
                for (int i = 0; i < count; i++)
                    c.Fill(i, start + i, inSize, scale, filterScale, support, filter, weights);
            }
            finally
            {
                ArrayPool<double>.Shared.Return(weights);
            }
            return c;
        }

        private void Fill(int slot, int outIndex, int inSize, double scale, double filterScale, double support, int filter, double[] w)
        {
            double center = (outIndex + 0.5) * scale;
            double invScale = 1.0 / filterScale;
            int min = Math.Max((int)(center - support + 0.5), 0);
            int max = Math.Min((int)(center + support + 0.5), inSize) - min;
            double sum = 0.0;
            for (int x = 0; x < max; x++)
            {
                w[x] = PillowFilter.Evaluate(filter, (x + min - center + 0.5) * invScale);
                sum += w[x];
            }
            int offset = slot * KernelSize;
            for (int x = 0; x < KernelSize; x++)
            {
                double v = x < max ? (sum != 0.0 ? w[x] / sum : w[x]) : 0.0;
                // Round half away from zero into 1<<22 fixed point, as normalize_coeffs_8bpc.
                Kernel[offset + x] = v < 0 ? (int)(-0.5 + v * (1 << PrecisionBits)) : (int)(0.5 + v * (1 << PrecisionBits));
            }
            Bounds[2 * slot] = min;
            Bounds[2 * slot + 1] = max;
            First = Math.Min(First, min);
            Last = Math.Max(Last, min + max);
        }

        public void Dispose()
        {
            ArrayPool<int>.Shared.Return(Bounds);
            ArrayPool<int>.Shared.Return(Kernel);
        }
    }
}
