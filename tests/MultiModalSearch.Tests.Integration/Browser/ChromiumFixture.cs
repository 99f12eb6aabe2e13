using Microsoft.Playwright;

namespace MultiModalSearch.Tests.Browser;

/// <summary>
/// One headless Debian chromium (scripts/setup.sh installs the <c>chromium</c> package) driven by Playwright, for all
/// browser tests; each test opens its own context, so no cookie, storage or cache carries over between tests.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string DebianChromium = "/usr/lib/chromium/chromium";

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(DebianChromium))
        {
            throw new FileNotFoundException($"Debian's chromium is not installed ({DebianChromium} is missing): run scripts/setup.sh, or apt-get install chromium");
        }

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = DebianChromium, Headless = true, Args = ["--no-sandbox"] });
        // The machine running the suite may be busy: give the page time rather than fail on a slow frame.
        Assertions.SetDefaultExpectTimeout(30_000);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
    }
}
