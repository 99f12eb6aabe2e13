using Microsoft.Playwright;
using MultiModalSearch.Tests.Api;
using static Microsoft.Playwright.Assertions;

namespace MultiModalSearch.Tests.Browser;

/// <summary>
/// The main states at a phone's and a desktop's width: axe-core finds no serious or critical violation in any, and
/// each is photographed into docs/screenshots/.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WebPageAccessibilityTests(ApiFixture fixture, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    public static TheoryData<string> Viewports => new() { PageViewport.Desktop.Name, PageViewport.Phone.Name };

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task The_main_states_have_no_serious_accessibility_violations(string viewportName)
    {
        var viewport = viewportName == PageViewport.Phone.Name ? PageViewport.Phone : PageViewport.Desktop;
        await using var session = await BrowserSession.OpenAsync(chromium.Browser, fixture.Api.Address, viewport);
        var page = session.Page;

        await session.GotoAsync("?collection=emoji");
        await Expect(session.Message).ToHaveAttributeAsync("data-kind", "intro");
        await AccessibilityCheck.AssertNoSeriousViolationsAsync(page, "start");

        await session.SearchAsync("cat");
        if (!viewport.IsMobile)
        {
            // On a phone the open filters would fill the picture; the desktop shot shows them with the scores on.
            await page.Locator("#filters summary").ClickAsync();
            await page.Locator("#f-scores").CheckAsync();
        }

        await AccessibilityCheck.AssertNoSeriousViolationsAsync(page, "results");
        await Screenshots.SaveAsync(page, "results", viewport);

        await page.Locator("#results .thumb").First.ClickAsync();
        await Expect(page.Locator("#detail-similar li").First).ToBeVisibleAsync();
        await Expect(page.Locator("#detail-status")).ToHaveTextAsync("");
        await AccessibilityCheck.AssertNoSeriousViolationsAsync(page, "detail");
        await Screenshots.SaveAsync(page, "detail", viewport);
        await page.Keyboard.PressAsync("Escape");

        await session.GotoAsync("?collection=emoji&q=xylophone%20zebra%20quartz&type=image%2Fjpeg");
        await Expect(session.Message).ToHaveAttributeAsync("data-kind", "empty");
        await AccessibilityCheck.AssertNoSeriousViolationsAsync(page, "empty");

        await session.GotoAsync("?collection=secret");
        await Expect(session.Message).ToHaveAttributeAsync("data-kind", "private");
        await AccessibilityCheck.AssertNoSeriousViolationsAsync(page, "private");
        await Screenshots.SaveAsync(page, "private", viewport);
        session.AssertNoScriptErrors();
    }
}
