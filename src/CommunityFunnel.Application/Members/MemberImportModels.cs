namespace CommunityFunnel.Application.Members;

public enum ImportMode
{
    /// <summary>A file with any bad row imports nothing: the operator fixes it and tries again.</summary>
    AllOrNothing,

    /// <summary>The operator chose to import the good rows and skip the reported bad ones.</summary>
    GoodRowsOnly,
}

public sealed record ImportRowError(int Line, string Field, string Message);

public sealed record ImportReport(
    int Rows,
    int ValidRows,
    IReadOnlyList<ImportRowError> Errors,
    bool Imported,
    int Created,
    int AddedToGroup,
    int AlreadyInGroup);
