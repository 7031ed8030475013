namespace CommunityFunnel.Application.Settings;

/// <summary>Settings admins change in the app (not in configuration): one row, shared by every instance.</summary>
public sealed class AppSettings
{
    public const int SingletonId = 1;

    private AppSettings()
    {
    }

    public static AppSettings Defaults => new() { Id = SingletonId };

    public int Id { get; private set; }

    /// <summary>Whether operators may create groups (they then run the group they created). Off: only admins create groups.</summary>
    public bool OperatorsMayCreateGroups { get; private set; }

    public bool AllowOperatorsToCreateGroups(bool allowed)
    {
        if (OperatorsMayCreateGroups == allowed)
        {
            return false;
        }

        OperatorsMayCreateGroups = allowed;
        return true;
    }
}
