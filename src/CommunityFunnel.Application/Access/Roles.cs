namespace CommunityFunnel.Application.Access;

public static class Roles
{
    public const string Admin = "Admin";
    public const string Operator = "Operator";

    public static readonly IReadOnlyList<string> All = [Admin, Operator];
}
