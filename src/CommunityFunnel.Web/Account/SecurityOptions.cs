using CommunityFunnel.Application.Access;

namespace CommunityFunnel.Web.Account;

/// <summary>Configuration section "Security".</summary>
internal sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Admins without two-factor sign-in must set it up before they can use the app.</summary>
    public bool RequireAdminTwoFactor { get; set; }

    /// <summary>
    /// How often a signed-in session (cookie or open page) is checked against the database on other instances than the
    /// one that changed the account. At most <see cref="SessionRevocations.MaxCheckInterval"/>.
    /// </summary>
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan EffectiveSessionCheckInterval =>
        SessionCheckInterval <= TimeSpan.Zero || SessionCheckInterval > SessionRevocations.MaxCheckInterval
            ? SessionRevocations.MaxCheckInterval
            : SessionCheckInterval;
}
