namespace CommunityFunnel.Application.Members;

/// <summary>
/// A stored phone the E.164 backfill left as it was, for an admin to resolve: another member already has its E.164 form
/// (<see cref="NormalizedPhone"/>; the two are likely one person, to merge by hand), or it is no valid phone in the
/// member's country (<see cref="NormalizedPhone"/> null). Nothing is merged automatically.
/// </summary>
public sealed class PhoneFinding
{
    private PhoneFinding()
    {
    }

    public Guid MemberId { get; private set; }

    /// <summary>The phone as it was stored when found; once it changes the finding is resolved.</summary>
    public string StoredPhone { get; private set; } = "";

    public string? NormalizedPhone { get; private set; }
    public DateTimeOffset FoundAt { get; private set; }
}
