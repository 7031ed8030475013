namespace CommunityFunnel.Web;

internal static class Policies
{
    public const string Admin = "admin";

    /// <summary>Admins and operators; what each may touch is then decided per group by the services.</summary>
    public const string Staff = "staff";
}
