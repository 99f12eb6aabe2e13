using MultiModalSearch.Models.Hub;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Hub;

public sealed class HubOptionsTests
{
    [Fact]
    public void HubCacheWinsOverHfHome()
    {
        var options = FromVariables(("HF_HUB_CACHE", "/c/hub"), ("HF_HOME", "/h"), ("HF_ENDPOINT", "http://mirror.local/"));

        Assert.Equal("/c/hub", options.CacheDirectory);
        Assert.Equal("http://mirror.local", options.Endpoint);
    }

    [Fact]
    public void HfHomeGetsAHubSubfolderAndItsTokenFileIsRead()
    {
        var home = Path.Combine(Path.GetTempPath(), "mms-hfhome-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(home);
        try
        {
            File.WriteAllText(Path.Combine(home, "token"), "hf_from_file\n");

            var options = FromVariables(("HF_HOME", home), ("HF_HUB_OFFLINE", "1"), ("HF_TOKEN_PATH", ""));

            Assert.Equal(Path.Combine(home, "hub"), options.CacheDirectory);
            Assert.Equal("hf_from_file", options.Token);
            Assert.True(options.Offline);
            Assert.Equal(HubOptions.DefaultEndpoint, options.Endpoint);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public void DefaultsFollowXdgThenHome()
    {
        Assert.Equal(Path.Combine("/x", "huggingface", "hub"), FromVariables(("XDG_CACHE_HOME", "/x")).CacheDirectory);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var options = FromVariables(("HF_TOKEN", "hf_env"), ("HF_HUB_OFFLINE", "0"));
        Assert.Equal(Path.Combine(home, ".cache", "huggingface", "hub"), options.CacheDirectory);
        Assert.Equal("hf_env", options.Token);
        Assert.False(options.Offline);
    }

    private static HubOptions FromVariables(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        // HF_TOKEN_PATH points nowhere so the developer's real token file is never read.
        map.TryAdd("HF_TOKEN_PATH", "/nonexistent/token");
        return HubOptions.FromEnvironment(name => map.GetValueOrDefault(name));
    }
}
