namespace CommunityFunnel.Application.Setup;

/// <summary>A data backfill that has run to its end, so later starts skip it (it is idempotent, this only saves the scan).</summary>
public sealed class CompletedBackfill
{
    private CompletedBackfill()
    {
    }

    public string Name { get; private set; } = "";
    public DateTimeOffset CompletedAt { get; private set; }
}
