namespace CommunityFunnel.Application.SignIn;

/// <summary>Configuration section "SignIn": how many codes and code checks a phone and a client address get per hour.</summary>
public sealed class SignInLimits
{
    public const string Section = "SignIn";
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public int CodesPerPhonePerHour { get; set; } = 5;

    /// <summary>Generous enough for members behind one carrier NAT, tight enough that one address cannot spray codes.</summary>
    public int CodesPerAddressPerHour { get; set; } = 30;
    public int ChecksPerAddressPerHour { get; set; } = 60;
}
