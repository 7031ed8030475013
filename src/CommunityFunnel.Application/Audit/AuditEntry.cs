namespace CommunityFunnel.Application.Audit;

/// <summary>An append-only record of a change admins must be able to trace: who, when, what, to which subject.</summary>
public sealed class AuditEntry
{
    private AuditEntry()
    {
    }

    public AuditEntry(DateTimeOffset at, AuditCategory category, string actor, string action, string subject, string details)
    {
        At = at;
        Category = category;
        Actor = actor;
        Action = action;
        Subject = subject;
        Details = details;
    }

    public long Id { get; private set; }
    public DateTimeOffset At { get; private set; }
    public AuditCategory Category { get; private set; }
    public string Actor { get; private set; } = "";
    public string Action { get; private set; } = "";
    public string Subject { get; private set; } = "";
    public string Details { get; private set; } = "";
}
