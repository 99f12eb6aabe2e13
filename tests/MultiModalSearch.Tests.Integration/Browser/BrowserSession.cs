using Microsoft.Playwright;

namespace MultiModalSearch.Tests.Browser;

/// <summary>
/// A fresh browser context and page on the service's page, at a viewport; records the page's uncaught script errors
/// and content-security-policy refusals so a test can assert there were none.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IBrowserContext context;
    private readonly List<string> errors = [];

    private BrowserSession(IBrowserContext context, IPage page, Uri address, PageViewport viewport)
    {
        this.context = context;
        Page = page;
        Address = address;
        Viewport = viewport;
        page.PageError += (_, error) => errors.Add("uncaught: " + error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                errors.Add("csp: " + message.Text);
            }
        };
    }

    public IPage Page { get; }

    public Uri Address { get; }

    public PageViewport Viewport { get; }

    public static async Task<BrowserSession> OpenAsync(IBrowser browser, Uri address, PageViewport? viewport = null)
    {
        viewport ??= PageViewport.Desktop;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = viewport.Width, Height = viewport.Height },
            IsMobile = viewport.IsMobile,
            HasTouch = viewport.IsMobile,
            Locale = "en-GB",
        });
        return new BrowserSession(context, await context.NewPageAsync(), address, viewport);
    }

    /// <summary>Goes to the page with this query string (e.g. "?collection=emoji") and waits until the collections are loaded.</summary>
    public async Task GotoAsync(string query = "")
    {
        await Page.GotoAsync(new Uri(Address, "/" + query).ToString());
        await Assertions.Expect(Page.Locator("#collection option").First).ToBeAttachedAsync();
    }

    public ILocator Cards => Page.Locator("#results .card");

    public ILocator Names => Page.Locator("#results .card .name");

    public ILocator Message => Page.Locator("#message");

    public async Task SearchAsync(string text)
    {
        await Page.Locator("#query").FillAsync(text);
        await Assertions.Expect(Page.Locator("#status")).ToContainTextAsync($" for “{text}”");
    }

    public void AssertNoScriptErrors() => Assert.True(errors.Count == 0, "the page reported errors:\n" + string.Join("\n", errors));

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}
