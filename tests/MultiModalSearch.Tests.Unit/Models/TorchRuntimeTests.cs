using MultiModalSearch.Testing;
using TorchSharp;

namespace MultiModalSearch.Tests.Models;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void NativeLibTorchLoadsAndComputes()
    {
        using var sum = torch.ones(2, 3).sum();
        Assert.Equal(6f, sum.item<float>());
    }
}
