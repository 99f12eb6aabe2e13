using Microsoft.AspNetCore.Mvc;

namespace MultiModalSearch.Api.Problems;

/// <summary>Writes RFC 7807 problem details through the framework's <see cref="IProblemDetailsService"/> (so they carry the request id too).</summary>
internal static class ProblemResponses
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            await context.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json");
        }
    }

    /// <summary>A setting name of the library (snake_case, dotted for nesting) as the JSON field that carries it.</summary>
    public static string FieldName(string setting) =>
        string.Join('.', setting.Split('.').Select(part =>
        {
            var words = part.Split('_', StringSplitOptions.RemoveEmptyEntries);
            return words.Length == 0 ? part : words[0] + string.Concat(words.Skip(1).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
        }));
}
