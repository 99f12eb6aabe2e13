using Microsoft.AspNetCore.Authorization;

namespace MultiModalSearch.Api.Security;

/// <summary>
/// The fallback policy of every endpoint: anonymous callers pass (collections decide what they may see), a request
/// that sent a key must have sent a valid one. Which collection a key opens is decided by the access rules in Core.
/// </summary>
internal static class ApiKeyPolicy
{
    public static AuthorizationPolicy Build() => new AuthorizationPolicyBuilder(ApiKeyAuthentication.SchemeName)
        .RequireAssertion(context => context.Resource is not HttpContext http || http.Request.Headers.Authorization.Count == 0 || context.User.Identity?.IsAuthenticated == true)
        .Build();
}
