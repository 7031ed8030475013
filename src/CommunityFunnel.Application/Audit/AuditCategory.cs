namespace CommunityFunnel.Application.Audit;

public enum AuditCategory
{
    Stage,
    Pricing,
    Access,
    Sales,
    Announcements,
    Payouts,
    Webhooks,
}
