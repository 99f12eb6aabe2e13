using System.Buffers;
using System.Runtime.InteropServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Compute;

/// <summary>
/// A linear layer applied to one row (a decoding step at batch 1) with bf16 weights on the CPU goes through
/// <see cref="BFloat16RowKernel"/>: libtorch's bf16 matrix product re-packs the whole weight on every call, which made
/// a bf16 decoding step slower than an fp32 one (docs/benchmarks.md). Everything else (several rows, other dtypes,
/// other devices, or gradients being recorded) is the layer's own forward, so training is untouched.
/// </summary>
public static class SingleRowLinear
{
    public static Tensor Forward(Linear layer, Tensor input) =>
        UsesKernel(input, layer.weight!) ? Compute(input, layer.weight!, layer.bias) : layer.call(input);

    public static Tensor Forward(Tensor input, Tensor weight) =>
        UsesKernel(input, weight) ? Compute(input, weight, null) : nn.functional.linear(input, weight);

    private static bool UsesKernel(Tensor input, Tensor weight) =>
        input.dtype == ScalarType.BFloat16 && weight.dtype == ScalarType.BFloat16
        && input.device_type == DeviceType.CPU && weight.device_type == DeviceType.CPU
        && input.numel() == input.shape[^1] && weight.is_contiguous()
        && !torch.is_grad_enabled() && BFloat16RowKernel.IsSupported;

    private static unsafe Tensor Compute(Tensor input, Tensor weight, Tensor? bias)
    {
        var (outFeatures, inFeatures) = ((int)weight.shape[0], (int)weight.shape[1]);
        var shape = input.shape.ToArray();
        shape[^1] = outFeatures;
        var output = torch.empty(shape, ScalarType.BFloat16);
        var x = ArrayPool<float>.Shared.Rent(inFeatures);
        var b = bias is null ? null : ArrayPool<float>.Shared.Rent(outFeatures);
        try
        {
            // Widened here, not by a libtorch conversion: at about 150 calls a token, that operation's fixed cost (some
            // 60 microseconds with its copy) was a tenth of a decoding step.
            using (var row = input.contiguous())
            {
                var bits = MemoryMarshal.Cast<byte, ushort>(row.bytes);
                for (var i = 0; i < inFeatures; i++)
                {
                    x[i] = BFloat16RowKernel.ToSingle(bits[i]);
                }
            }

            if (bias is not null)
            {
                using var values = bias.to(ScalarType.Float32).contiguous();
                values.data<float>().CopyTo(b!, 0);
            }

            fixed (byte* w = weight.bytes)
            fixed (byte* y = output.bytes)
            fixed (float* xp = x)
            fixed (float* bp = b)
            {
                BFloat16RowKernel.Multiply((ushort*)w, xp, bias is null ? null : bp, (ushort*)y, inFeatures, outFeatures, torch.get_num_threads());
            }

            return output;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(x);
            if (b is not null)
            {
                ArrayPool<float>.Shared.Return(b);
            }
        }
    }
}
