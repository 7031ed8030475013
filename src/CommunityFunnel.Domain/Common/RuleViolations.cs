namespace CommunityFunnel.Domain.Common;

public static class RuleViolations
{
    /// <summary>Collects a check's result: the violation when there is one, nothing when the value was fine.</summary>
    public static void AddIfAny(this List<RuleViolation> errors, RuleViolation? error)
    {
        if (error is not null)
        {
            errors.Add(error);
        }
    }
}
