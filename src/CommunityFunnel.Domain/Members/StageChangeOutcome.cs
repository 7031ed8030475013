namespace CommunityFunnel.Domain.Members;

public enum StageChangeOutcome
{
    Moved,
    AlreadyAtStage,
    NotAllowed,
}
