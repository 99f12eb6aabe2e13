using Microsoft.Playwright;
using MultiModalSearch.Tests.Api;
using static Microsoft.Playwright.Assertions;

namespace MultiModalSearch.Tests.Browser;

/// <summary>
/// Ask mode against a stand-in <c>/api/ask</c> (<see cref="FakeAskEndpoint"/>) that streams the agreed server-sent
/// events from a second instance of the real service; the figure crop is one of the service's real thumbnails.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WebPageAskTests(ApiFixture fixture, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task The_answer_streams_in_its_citations_link_to_the_sources_and_cited_figures_show_beside_it()
    {
        var ask = new FakeAskEndpoint();
        await using var server = await ApiServer.StartAsync(fixture.DatabaseUrl, mapExtra: ask.Map);
        await server.WaitReadyAsync(TimeSpan.FromMinutes(3));
        var found = await ApiJson.PostAsync(server.Client, "/api/search", new { collection = ApiFixture.Emoji, text = "rocket", k = 1 });
        ask.FigureCropUrl = found.GetProperty("results")[0].GetProperty("thumbnailUrl").GetString()!;

        await using var session = await BrowserSession.OpenAsync(chromium.Browser, server.Address);
        var page = session.Page;
        await session.GotoAsync("?collection=emoji&mode=ask");
        await Expect(page.Locator("#ask-view")).ToBeVisibleAsync();
        await page.Locator("#question").FillAsync("How does dot draw graphs?");
        await page.Locator("#ask-submit").ClickAsync();

        // Half written: the tokens so far are on screen while the stream is still open.
        var answer = page.Locator("#answer");
        await Expect(answer).ToContainTextAsync("Dot draws directed graphs as hierarchies [1], as the figure shows [2] and [7].");
        await Expect(answer).ToHaveAttributeAsync("aria-busy", "true");
        await Expect(page.Locator("#sources li")).ToHaveCountAsync(3);
        Assert.Single(ask.Requests);
        Assert.Equal("emoji", ask.Requests[0].GetProperty("collection").GetString());
        Assert.Equal("How does dot draw graphs?", ask.Requests[0].GetProperty("question").GetString());

        ask.Release();
        await Expect(answer).ToHaveAttributeAsync("aria-busy", "false");
        await Expect(answer.Locator("p").First).ToHaveTextAsync(FakeAskEndpoint.Answer);
        await Expect(answer).ToContainTextAsync("Removed citations to sources that were not given: [7].");
        await Expect(page.Locator("#ask-status")).ToHaveTextAsync("Answered with 2 citations.");
        await Expect(page.Locator("#source-1")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("cited"));
        await Expect(page.Locator("#source-3")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("cited"));

        var cite = answer.Locator("a.cite[data-n='1']");
        await Expect(cite).ToHaveAttributeAsync("href", "#source-1");
        await cite.ClickAsync();
        await Expect(page.Locator("#source-1")).ToBeFocusedAsync();
        await Expect(page.Locator("#source-1")).ToContainTextAsync("dotguide.pdf, page 3");

        // The cited figure's crop beside the answer, a real image the browser decoded; the passage has none.
        var crop = page.Locator("#figures img");
        await Expect(crop).ToHaveCountAsync(1);
        await Expect(crop).ToHaveAttributeAsync("src", ask.FigureCropUrl);
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('#figures img'); return i.complete && i.naturalWidth > 0; }");
        Assert.Contains("mode=ask", page.Url, StringComparison.Ordinal);
        await AccessibilityCheck.AssertNoSeriousViolationsAsync(page, "ask: answered");
        await Screenshots.SaveAsync(page, "ask", PageViewport.Desktop);
        await page.SetViewportSizeAsync(PageViewport.Phone.Width, PageViewport.Phone.Height);
        await Screenshots.SaveAsync(page, "ask", PageViewport.Phone);
        await page.SetViewportSizeAsync(PageViewport.Desktop.Width, PageViewport.Desktop.Height);

        // An error event shows the service's message, not a blank answer.
        await page.Locator("#question").FillAsync("Please fail");
        await page.Locator("#ask-submit").ClickAsync();
        await Expect(page.Locator("#ask-message")).ToContainTextAsync("the language model is not loaded");
        await Expect(page.Locator("#ask-message")).ToHaveAttributeAsync("data-kind", "error");
        session.AssertNoScriptErrors();
    }
}
