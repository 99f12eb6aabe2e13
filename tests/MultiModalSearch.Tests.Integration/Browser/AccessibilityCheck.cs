using System.Text.Json;
using Microsoft.Playwright;

namespace MultiModalSearch.Tests.Browser;

/// <summary>
/// axe-core (from npm; scripts/setup.sh installs it into .mms/npm) run inside the page: the state must have no serious
/// or critical violation. The script is evaluated through the debugging protocol, so the page's content security
/// policy stays on during the check.
/// </summary>
public static class AccessibilityCheck
{
    private static readonly Lazy<string> Script = new(() => File.ReadAllText(AxePath()));

    public static async Task AssertNoSeriousViolationsAsync(IPage page, string state)
    {
        await page.EvaluateAsync(Script.Value);
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const result = await axe.run(document, { resultTypes: ['violations'] });
              return result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ')) }));
            }
            """);
        var serious = violations.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}): {v.GetProperty("help").GetString()} at {string.Join(", ", v.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()))}")
            .ToList();
        Assert.True(serious.Count == 0, $"axe-core found serious or critical violations in state '{state}':\n" + string.Join("\n", serious));
    }

    private static string AxePath()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, ".mms", "npm", "node_modules", "axe-core", "axe.min.js");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("axe-core was not found in .mms/npm: run scripts/setup.sh (it installs axe-core from npm)");
    }
}
