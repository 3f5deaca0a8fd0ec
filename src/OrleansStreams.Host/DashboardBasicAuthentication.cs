using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace OrleansStreams.Host;

/// <summary>HTTP Basic authentication against the one dashboard account of <see cref="DashboardSettings"/>.</summary>
public sealed class DashboardBasicAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    DashboardSettings settings) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DashboardBasic";
    public const string Policy = "Dashboard";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        string user, password;
        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            (user, password) = colon < 0 ? (pair, string.Empty) : (pair[..colon], pair[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return Task.FromResult(AuthenticateResult.Fail("The Basic credentials are not base64"));
        }

        if (string.IsNullOrEmpty(settings.Password) || !Same(user, settings.Username) || !Same(password, settings.Password))
        {
            return Task.FromResult(AuthenticateResult.Fail("Wrong dashboard user name or password"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Basic realm=\"Orleans Streams dashboard\", charset=\"UTF-8\"";
        return base.HandleChallengeAsync(properties);
    }

    /// <summary>Compares digests in constant time, so neither length nor content leaks through timing.</summary>
    private static bool Same(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
