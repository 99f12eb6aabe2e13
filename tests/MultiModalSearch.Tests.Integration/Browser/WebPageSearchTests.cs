using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MultiModalSearch.Tests.Api;
using static Microsoft.Playwright.Assertions;

namespace MultiModalSearch.Tests.Browser;

/// <summary>
/// The search page in a real headless chromium, against the real service over the real database of the API tests
/// (the emoji sample indexed by the real indexer with the bundled model).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WebPageSearchTests(ApiFixture fixture, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private Task<BrowserSession> OpenAsync(PageViewport? viewport = null) => BrowserSession.OpenAsync(chromium.Browser, fixture.Api.Address, viewport);

    [Fact]
    public async Task Typing_a_query_shows_the_right_results_and_a_slow_stale_answer_never_replaces_a_newer_one()
    {
        await using var session = await OpenAsync();
        var page = session.Page;
        await session.GotoAsync("?collection=emoji");
        await page.Locator("#query").PressSequentiallyAsync("pizza", new() { Delay = 40 });
        await Expect(session.Names.First).ToHaveTextAsync("pizza.png");
        await Expect(page.Locator("#status")).ToContainTextAsync("results for “pizza”");
        Assert.Contains("q=pizza", page.Url, StringComparison.Ordinal);
        // Thumbnails are real images the browser decoded.
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('#results img'); return i.complete && i.naturalWidth > 0; }");

        // The unfiltered answer for "cat" is held back two seconds; meanwhile a folder filter asks again and gets one
        // result. The late, larger answer must not land in the grid.
        await page.RouteAsync("**/api/search", async route =>
        {
            if (route.Request.PostData?.Contains("\"text\":\"cat\"", StringComparison.Ordinal) == true && !route.Request.PostData.Contains("filters", StringComparison.Ordinal))
            {
                await Task.Delay(2000);
            }

            try
            {
                await route.ContinueAsync();
            }
            catch (PlaywrightException)
            {
                // The page cancelled the stale request: exactly what it should do.
            }
        });
        await page.Locator("#query").FillAsync("cat");
        await page.WaitForRequestAsync(r => r.Url.EndsWith("/api/search", StringComparison.Ordinal) && r.PostData!.Contains("\"cat\"", StringComparison.Ordinal));
        await page.Locator("#filters summary").ClickAsync();
        await page.Locator("#f-folder").FillAsync(Path.Combine(fixture.PhotoDirectory, "copies") + "/");
        await page.Locator("#f-folder").PressAsync("Tab");
        await Expect(session.Cards).ToHaveCountAsync(1);
        await Task.Delay(2600);
        await Expect(session.Cards).ToHaveCountAsync(1);
        await Expect(page.Locator("#status")).ToHaveTextAsync("1 result for “cat”.");
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task An_uploaded_a_pasted_and_a_dropped_image_each_show_similar_ones()
    {
        await using var session = await OpenAsync();
        var page = session.Page;
        await session.GotoAsync("?collection=emoji");
        await page.Locator("#image-file").SetInputFilesAsync(Path.Combine(ApiFixture.SamplesDirectory(), "dog.png"));
        await Expect(session.Names.First).ToHaveTextAsync("dog.png");
        await Expect(page.Locator("#query-chip")).ToContainTextAsync("Photos like dog.png");

        await DispatchImageAsync(page, "owl.png", "paste");
        await Expect(session.Names.First).ToHaveTextAsync("owl.png");
        await Expect(page.Locator("#status")).ToContainTextAsync("the uploaded image");

        await DispatchImageAsync(page, "rocket.png", "drop");
        await Expect(session.Names.First).ToHaveTextAsync("rocket.png");
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_filter_narrows_the_results_and_scores_show_on_request()
    {
        await using var session = await OpenAsync();
        var page = session.Page;
        await session.GotoAsync("?collection=emoji");
        await session.SearchAsync("cat");
        var all = await session.Cards.CountAsync();
        Assert.True(all >= 10, $"expected the whole sample for an unfiltered search, got {all}");

        await page.Locator("#filters summary").ClickAsync();
        await page.Locator("#f-folder").FillAsync(Path.Combine(fixture.PhotoDirectory, "copies") + "/");
        await page.Locator("#f-folder").PressAsync("Tab");
        await Expect(session.Cards).ToHaveCountAsync(1);
        await Expect(session.Names.First).ToContainTextAsync("cat");
        Assert.Contains("folder=", page.Url, StringComparison.Ordinal);
        await Expect(page.Locator("#filter-count")).ToHaveTextAsync("(1 active)");

        // Combined with a media type nothing has: the empty state says so and offers to clear the filters.
        await page.Locator("#f-type").SelectOptionAsync("image/jpeg");
        await Expect(session.Message).ToContainTextAsync("No matching photos");
        await session.Message.GetByRole(AriaRole.Button, new() { Name = "Clear filters" }).ClickAsync();
        await Expect(session.Cards).ToHaveCountAsync(all);

        await Expect(page.Locator("#results .score").First).ToBeHiddenAsync();
        await page.Locator("#f-scores").CheckAsync();
        await Expect(page.Locator("#results .score").First).ToBeVisibleAsync();
        await Expect(page.Locator("#results .score").First).ToHaveTextAsync(new Regex(@"^0\.\d{3}$"));
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task The_detail_view_shows_the_content_and_more_like_this_searches_by_it()
    {
        await using var session = await OpenAsync();
        var page = session.Page;
        await session.GotoAsync("?collection=emoji");
        await session.SearchAsync("cat");
        var catId = await session.Cards.First.GetAttributeAsync("data-id");
        await page.Locator("#results .thumb").First.ClickAsync();
        var detail = page.Locator("#detail");
        await Expect(detail).ToBeVisibleAsync();
        await Expect(page.Locator("#detail-title")).ToContainTextAsync("cat");
        // Both paths of the content (cat.png and its copy), its metadata and its file-name text item.
        await Expect(page.Locator("#detail-paths li")).ToHaveCountAsync(2);
        await Expect(page.Locator("#detail-paths")).ToContainTextAsync("cat copy.png");
        await Expect(page.Locator("#detail-meta")).ToContainTextAsync("pixels");
        await Expect(page.Locator("#detail-texts")).ToContainTextAsync("cat");
        await Expect(page.Locator("#detail-similar li").First).ToBeVisibleAsync();
        Assert.Contains("item=", page.Url, StringComparison.Ordinal);
        await page.WaitForFunctionAsync("() => document.getElementById('detail-image').src.includes('/original')");

        await page.Locator("#detail-like").ClickAsync();
        await Expect(detail).ToBeHiddenAsync();
        await Expect(page.Locator("#query-chip")).ToContainTextAsync("Photos like this one");
        await Expect(page.Locator("#status")).ToContainTextAsync("results for the chosen photo");
        Assert.Contains($"like={catId}", page.Url, StringComparison.Ordinal);
        // The photo itself is the query, not a result; the rest of the sample is.
        Assert.True(await session.Cards.CountAsync() >= 10);
        await Expect(page.Locator($"#results .card[data-id='{catId}']")).ToHaveCountAsync(0);

        // "More like this" on a card of the grid searches by that card's photo.
        var thirdId = await session.Cards.Nth(2).GetAttributeAsync("data-id");
        await page.Locator("#results .like").Nth(2).ClickAsync();
        await page.WaitForURLAsync($"**like={thirdId}**");
        await Expect(page.Locator("#status")).ToContainTextAsync("results for the chosen photo");
        await Expect(page.Locator($"#results .card[data-id='{thirdId}']")).ToHaveCountAsync(0);
        await Expect(page.Locator($"#results .card[data-id='{catId}']")).ToHaveCountAsync(1);
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Back_forward_and_reload_restore_the_search_and_the_open_item()
    {
        await using var session = await OpenAsync();
        var page = session.Page;
        await session.GotoAsync("?collection=emoji");
        await session.SearchAsync("cat");
        await session.SearchAsync("pizza");
        await Expect(session.Names.First).ToHaveTextAsync("pizza.png");

        await page.GoBackAsync();
        await Expect(page.Locator("#query")).ToHaveValueAsync("cat");
        await Expect(page.Locator("#status")).ToContainTextAsync("results for “cat”");
        await Expect(session.Names.First).ToContainTextAsync("cat");

        await page.ReloadAsync();
        await Expect(page.Locator("#query")).ToHaveValueAsync("cat");
        await Expect(session.Names.First).ToContainTextAsync("cat");

        await page.GoForwardAsync();
        await Expect(page.Locator("#query")).ToHaveValueAsync("pizza");
        await Expect(session.Names.First).ToHaveTextAsync("pizza.png");

        await page.Locator("#results .thumb").First.ClickAsync();
        await Expect(page.Locator("#detail-title")).ToHaveTextAsync("pizza.png");
        await page.ReloadAsync();
        await Expect(page.Locator("#detail")).ToBeVisibleAsync();
        await Expect(page.Locator("#detail-title")).ToHaveTextAsync("pizza.png");
        await page.GoBackAsync();
        await Expect(page.Locator("#detail")).ToBeHiddenAsync();
        await Expect(page.Locator("#query")).ToHaveValueAsync("pizza");
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task The_page_works_with_the_keyboard_alone()
    {
        await using var session = await OpenAsync();
        var page = session.Page;
        await session.GotoAsync("?collection=emoji");
        await TabUntilAsync(page, "document.activeElement.id === 'query'");
        await page.Keyboard.TypeAsync("cat");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#status")).ToContainTextAsync("results for “cat”");

        await TabUntilAsync(page, "document.activeElement.classList.contains('thumb')");
        Assert.Equal(0, await ActiveCardAsync(page));
        await page.Keyboard.PressAsync("ArrowRight");
        Assert.Equal(1, await ActiveCardAsync(page));
        await page.Keyboard.PressAsync("ArrowDown");
        var columns = await page.EvaluateAsync<int>("() => getComputedStyle(document.getElementById('results')).gridTemplateColumns.split(' ').length");
        Assert.Equal(1 + columns, await ActiveCardAsync(page));
        await page.Keyboard.PressAsync("ArrowUp");
        Assert.Equal(1, await ActiveCardAsync(page));

        var second = await session.Names.Nth(1).TextContentAsync();
        var third = await session.Names.Nth(2).TextContentAsync();
        var thirdId = await session.Cards.Nth(2).GetAttributeAsync("data-id");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#detail")).ToBeVisibleAsync();
        await Expect(page.Locator("#detail-title")).ToHaveTextAsync(second!);
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(page.Locator("#detail-title")).ToHaveTextAsync(third!);
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#detail")).ToBeHiddenAsync();
        // Focus returns to the grid, on the card the detail view was showing.
        Assert.Equal(2, await ActiveCardAsync(page));

        // Tab reaches the card's "more like this", and Enter runs it.
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement.classList.contains('like')"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#query-chip")).ToBeVisibleAsync();
        await page.WaitForURLAsync($"**like={thirdId}**");
        await Expect(page.Locator("#status")).ToContainTextAsync("results for the chosen photo");
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_private_collection_asks_for_a_key_refuses_a_wrong_one_and_opens_with_a_read_key()
    {
        await using var session = await OpenAsync();
        var page = session.Page;
        await session.GotoAsync("?collection=secret");
        await Expect(session.Message).ToHaveAttributeAsync("data-kind", "private");
        await Expect(session.Message).ToContainTextAsync("“secret” is private");
        await Expect(page.Locator("#collection option:checked")).ToHaveTextAsync("secret (locked)");

        await session.Message.GetByRole(AriaRole.Button, new() { Name = "Enter API key" }).ClickAsync();
        await page.Locator("#key-input").FillAsync("mms_not_a_real_key");
        await page.Locator("#key-input").PressAsync("Enter");
        await Expect(session.Message).ToContainTextAsync("The API key was refused");

        await session.Message.GetByRole(AriaRole.Button, new() { Name = "Enter API key" }).ClickAsync();
        await page.Locator("#key-input").FillAsync(fixture.ReadKey);
        await page.Locator("#key-input").PressAsync("Enter");
        await Expect(page.Locator("#collection option:checked")).ToContainTextAsync("secret (3)");
        await session.SearchAsync("snowman");
        await Expect(session.Names.First).ToHaveTextAsync("snowman.png");
        // The private thumbnail loads through its signed URL.
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('#results img'); return i.complete && i.naturalWidth > 0; }");
        session.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Scrolling_loads_further_pages_and_never_loads_a_thumbnail_twice()
    {
        await using var session = await OpenAsync();
        var page = session.Page;
        var thumbnails = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/thumbnail", StringComparison.Ordinal))
            {
                lock (thumbnails)
                {
                    thumbnails.Add(request.Url);
                }
            }
        };
        // The synthetic "vectors" collection (10,000 rows, no model): "more like" one of its rows pages through it.
        var first = ApiEndpointTests.IdOfRow(1);
        await session.GotoAsync($"?collection={ApiFixture.Vectors}&like={first}");
        await Expect(session.Cards).ToHaveCountAsync(40);
        // Keep scrolling to the end, as a person would, until three pages are in (a busy machine answers slowly).
        for (var round = 0; round < 60 && await session.Cards.CountAsync() < 120; round++)
        {
            await page.Locator("#results .card").Last.ScrollIntoViewIfNeededAsync();
            await page.Mouse.WheelAsync(0, 4000);
            await page.WaitForTimeoutAsync(500);
        }

        Assert.True(await session.Cards.CountAsync() >= 120, "scrolling to the end did not load three pages");
        var ids = await page.EvalOnSelectorAllAsync<string[]>("#results .card", "cards => cards.map(c => c.dataset.id)");
        Assert.Equal(ids.Length, ids.Distinct().Count());
        lock (thumbnails)
        {
            Assert.True(thumbnails.Count > 40, $"expected lazy thumbnails of later pages to load, saw {thumbnails.Count}");
            Assert.Equal(thumbnails.Count, thumbnails.Distinct().Count());
        }

        session.AssertNoScriptErrors();
    }

    /// <summary>A synthetic paste or drop of a sample image onto the page (a headless browser has no clipboard or mouse drag of files).</summary>
    private static async Task DispatchImageAsync(IPage page, string sample, string kind)
    {
        var base64 = Convert.ToBase64String(await File.ReadAllBytesAsync(Path.Combine(ApiFixture.SamplesDirectory(), sample)));
        await page.EvaluateAsync("""
            ([base64, name, kind]) => {
              const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
              const data = new DataTransfer();
              data.items.add(new File([bytes], name, { type: 'image/png' }));
              if (kind === 'paste') {
                document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
              } else {
                document.body.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true }));
                document.body.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
                document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
              }
            }
            """, new object[] { base64, sample, kind });
    }

    private static async Task TabUntilAsync(IPage page, string condition)
    {
        for (var i = 0; i < 25; i++)
        {
            if (await page.EvaluateAsync<bool>($"() => {condition}"))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"Tab never reached an element where {condition}");
    }

    private static Task<int> ActiveCardAsync(IPage page) =>
        page.EvaluateAsync<int>("() => [...document.querySelectorAll('#results .card')].indexOf(document.activeElement.closest('.card'))");
}
