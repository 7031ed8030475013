namespace CommunityFunnel.Application.SignIn;

/// <summary>Hits on one key (a client address doing one thing) within a fixed window, shared by every app instance.</summary>
public sealed class RateCounter
{
    public const int KeyMaxLength = 200;

    private RateCounter()
    {
    }

    public string Key { get; private set; } = "";
    public DateTimeOffset WindowStartedAt { get; private set; }
    public int Hits { get; private set; }
}
