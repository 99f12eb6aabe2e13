using Microsoft.Playwright;

namespace MultiModalSearch.Tests.Browser;

/// <summary>Screenshots of the page's main states, saved into docs/screenshots/ of the repository (the README shows them).</summary>
public static class Screenshots
{
    public static async Task SaveAsync(IPage page, string state, PageViewport viewport)
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "screenshots", $"{state}-{viewport.Name}.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Let lazy thumbnails that are on screen finish, so the picture shows the page as a person sees it.
        await page.WaitForFunctionAsync("() => [...document.images].filter(i => i.getBoundingClientRect().top < innerHeight && i.loading === 'lazy' && i.src).every(i => i.complete)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MultiModalSearch.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("the repository root (MultiModalSearch.sln) was not found above the test's directory");
    }
}
