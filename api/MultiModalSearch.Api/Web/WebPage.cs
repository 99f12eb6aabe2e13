using Microsoft.Extensions.FileProviders;

namespace MultiModalSearch.Api.Web;

/// <summary>
/// The search page (web/ in the repository, copied beside the service's dll as web/) at <c>/</c>: plain HTML, CSS and
/// JavaScript modules, nothing to build. Files are revalidated by ETag on every load so an upgrade shows at once; the
/// content security policy lets the page run only its own scripts and load only the service's images.
/// </summary>
internal static class WebPage
{
    public const string Folder = "web";

    private const string Policy = "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public static IApplicationBuilder UseWebPage(this IApplicationBuilder app)
    {
        var root = Path.Combine(AppContext.BaseDirectory, Folder);
        if (!Directory.Exists(root))
        {
            return app;
        }

        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.CacheControl = "no-cache";
                headers.ContentSecurityPolicy = Policy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
            },
        });
        return app;
    }
}
