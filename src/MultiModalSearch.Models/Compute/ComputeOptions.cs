using MultiModalSearch.Abstractions.Errors;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiModalSearch.Models.Compute;

/// <summary>Where and in which precision the model runs, resolved from the device and dtype settings.</summary>
public sealed record ComputeOptions(Device Device, ScalarType DType)
{
    public bool IsCuda => Device.type == DeviceType.CUDA;

    public string DeviceName => IsCuda ? $"cuda:{Device.index}" : "cpu";

    public string DTypeName => DType switch
    {
        ScalarType.Float16 => "fp16",
        ScalarType.BFloat16 => "bf16",
        _ => "fp32",
    };

    public static ComputeOptions Cpu { get; } = new(CPU, ScalarType.Float32);

    /// <summary>
    /// <paramref name="device"/>: auto (CUDA when present), cpu, cuda or cuda:N. <paramref name="dtype"/>: auto, fp32, fp16, bf16.
    /// auto is fp32 for <see cref="Workload.Exact"/> (embed, eval: results comparable with the reference to 1e-4);
    /// for <see cref="Workload.Bulk"/> (indexing), fp16 on CUDA and bf16 on CPUs with bf16 units: cosine to fp32 stays
    /// above 0.9999 there and throughput is several times higher (docs/benchmarks.md); for <see cref="Workload.Training"/>
    /// bf16 on CUDA and fp32 on CPU. Half precisions are refused
    /// where the hardware has no fast path for them.
    /// </summary>
    public static ComputeOptions Resolve(string device = "auto", string dtype = "auto", Workload workload = Workload.Exact)
    {
        var resolvedDevice = ResolveDevice(device);
        var isCuda = resolvedDevice.type == DeviceType.CUDA;
        var resolvedType = dtype.ToLowerInvariant() switch
        {
            "auto" when workload == Workload.Exact => ScalarType.Float32,
            "auto" when workload == Workload.Training => isCuda ? ScalarType.BFloat16 : ScalarType.Float32,
            "auto" when workload == Workload.Generation => isCuda ? ScalarType.Float16 : ScalarType.Float32,
            "auto" when isCuda => ScalarType.Float16,
            "auto" => CpuFeatures.HasFastBFloat16 ? ScalarType.BFloat16 : ScalarType.Float32,
            "fp32" or "float32" => ScalarType.Float32,
            "fp16" or "float16" when isCuda => ScalarType.Float16,
            "fp16" or "float16" => throw new InvalidSettingException("dtype", "fp16 needs a CUDA device: CPUs have no fast fp16 matrix path (use bf16 or fp32)"),
            "bf16" or "bfloat16" when isCuda || CpuFeatures.HasFastBFloat16 => ScalarType.BFloat16,
            "bf16" or "bfloat16" => throw new InvalidSettingException("dtype", "bf16 on CPU needs AVX512-BF16 or AMX, which this processor lacks (use fp32)"),
            _ => throw new InvalidSettingException("dtype", $"must be auto, fp32, fp16 or bf16 (got '{dtype}')"),
        };
        return new ComputeOptions(resolvedDevice, resolvedType);
    }

    private static Device ResolveDevice(string device)
    {
        var name = device.ToLowerInvariant();
        if (name == "auto")
        {
            return cuda.is_available() ? CUDA : CPU;
        }

        if (name == "cpu")
        {
            return CPU;
        }

        if (name == "cuda" || name.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
            {
                throw new InvalidSettingException("device", $"{device}: no CUDA device is available to libtorch (CPU build of TorchSharp, no driver, or no GPU); see docs/gpu.md");
            }

            return name == "cuda" ? CUDA : new Device(name);
        }

        throw new InvalidSettingException("device", $"must be auto, cpu, cuda or cuda:N (got '{device}')");
    }
}
