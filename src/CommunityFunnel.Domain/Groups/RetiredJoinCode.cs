namespace CommunityFunnel.Domain.Groups;

/// <summary>
/// A join code the group's host replaced: kept so that opening the old link says it no longer works (rather than that it
/// never existed), and never admits anyone again.
/// </summary>
public sealed class RetiredJoinCode
{
    private RetiredJoinCode()
    {
    }

    public RetiredJoinCode(string code, Guid groupId, DateTimeOffset retiredAt)
    {
        Code = code;
        GroupId = groupId;
        RetiredAt = retiredAt;
    }

    public string Code { get; private set; } = "";
    public Guid GroupId { get; private set; }
    public DateTimeOffset RetiredAt { get; private set; }
}
