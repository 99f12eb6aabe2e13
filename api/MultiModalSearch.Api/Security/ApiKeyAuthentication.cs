using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using MultiModalSearch.Abstractions.Access;
using MultiModalSearch.Core.Access;

namespace MultiModalSearch.Api.Security;

/// <summary>
/// <c>Authorization: Bearer KEY</c>. No header: anonymous (public collections only). A key that is malformed,
/// unknown or revoked fails, and <see cref="ApiKeyPolicy"/> then answers 401 on every endpoint that needs no less.
/// </summary>
internal sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string KeyItem = "mms.apiKey";

    /// <summary>The caller of a request that passed authentication.</summary>
    public static Caller CallerOf(HttpContext context) =>
        context.Items.TryGetValue(KeyItem, out var key) && key is ApiKeyRecord record ? new Caller(record) : Caller.Anonymous;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization;
        if (header.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }

        var value = header.ToString();
        if (header.Count > 1 || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("the Authorization header must be 'Bearer KEY'");
        }

        var key = await keys.VerifyAsync(value["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail("the API key is not valid (unknown or revoked)");
        }

        Context.Items[KeyItem] = key;
        var identity = new ClaimsIdentity([new Claim("key_id", key.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Claim("collection", key.CollectionName)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = "Bearer";
        await Problems.ProblemResponses.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Unauthorized",
            result.Failure?.Message ?? "this needs an API key: send 'Authorization: Bearer KEY'");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.ProblemResponses.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden", "this API key does not allow that");
}
