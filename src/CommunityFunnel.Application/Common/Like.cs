namespace CommunityFunnel.Application.Common;

/// <summary>Makes user search text literal inside an ILIKE pattern ("50%" finds "50%", not everything).</summary>
internal static class Like
{
    public const string EscapeCharacter = "\\";

    public static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);
}
