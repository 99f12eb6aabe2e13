using Microsoft.Playwright;
using MultiModalSearch.Tests.Api;
using static Microsoft.Playwright.Assertions;

namespace MultiModalSearch.Tests.Browser;

/// <summary>A service that stops answering: the page says so and offers a retry, never a blank page.</summary>
[Collection(ApiCollection.Name)]
public sealed class WebPageFailureTests(ApiFixture fixture, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_service_that_went_away_shows_the_error_state_and_a_retry()
    {
        var server = await ApiServer.StartAsync(fixture.DatabaseUrl);
        await using var session = await BrowserSession.OpenAsync(chromium.Browser, server.Address);
        var page = session.Page;
        await session.GotoAsync("?collection=emoji");
        await session.SearchAsync("cat");
        await server.DisposeAsync();

        await page.Locator("#query").FillAsync("pizza");
        await Expect(session.Message).ToHaveAttributeAsync("data-kind", "error");
        await Expect(session.Message).ToContainTextAsync("Cannot reach the search service");
        await Expect(session.Message.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToBeVisibleAsync();
        await Expect(session.Cards).ToHaveCountAsync(0);
        await AccessibilityCheck.AssertNoSeriousViolationsAsync(page, "error");
        await Screenshots.SaveAsync(page, "error", PageViewport.Desktop);

        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_server_error_behind_a_proxy_shows_its_message_and_a_retry_that_works()
    {
        await using var session = await BrowserSession.OpenAsync(chromium.Browser, fixture.Api.Address);
        var page = session.Page;
        // A proxy in front of the service answers 503 once (the service itself never answers 5xx to a search).
        var failures = 1;
        await page.RouteAsync("**/api/search", async route =>
        {
            if (Interlocked.Decrement(ref failures) >= 0)
            {
                await route.FulfillAsync(new RouteFulfillOptions
                {
                    Status = 503, ContentType = "application/problem+json",
                    Body = "{\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"the upstream service is restarting\"}",
                });
                return;
            }

            await route.ContinueAsync();
        });
        await session.GotoAsync("?collection=emoji");
        await page.Locator("#query").FillAsync("pizza");
        await Expect(session.Message).ToContainTextAsync("The search service failed");
        await Expect(session.Message).ToContainTextAsync("the upstream service is restarting");
        await session.Message.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Expect(session.Names.First).ToHaveTextAsync("pizza.png");
        await Expect(session.Message).ToBeHiddenAsync();
        session.AssertNoScriptErrors();
    }
}
