using System.Globalization;
using MultiModalSearch.Abstractions.Documents;
using MultiModalSearch.Abstractions.Errors;

namespace MultiModalSearch.Api.Endpoints;

/// <summary>The <c>box</c> query parameter of a page request: four numbers, left,top,right,bottom in points (top-left origin).</summary>
internal static class PageBoxes
{
    public static BoundingBox? Parse(string? box)
    {
        if (string.IsNullOrWhiteSpace(box))
        {
            return null;
        }

        var parts = box.Split(',');
        var values = new double[4];
        if (parts.Length != 4 || !parts.Select((p, i) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) && double.IsFinite(values[i])).All(ok => ok)
            || values[2] <= values[0] || values[3] <= values[1] || values.Any(v => v is < -10_000 or > 100_000))
        {
            throw new InvalidSettingException("box", $"must be left,top,right,bottom in points with left < right and top < bottom (got '{box}')");
        }

        return new BoundingBox(values[0], values[1], values[2], values[3]);
    }
}
