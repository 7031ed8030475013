namespace CommunityFunnel.Application.Common;

/// <summary>Reads SQL kept in a feature's Sql folder (embedded resources), so SQL that is code is reviewed as SQL.</summary>
public static class EmbeddedSql
{
    /// <summary>The text of <paramref name="file"/> in the Sql folder next to <paramref name="anchor"/>'s namespace.</summary>
    public static string Read(Type anchor, string file)
    {
        using var stream = anchor.Assembly.GetManifestResourceStream($"{anchor.Namespace}.Sql.{file}")
            ?? throw new InvalidOperationException($"The embedded SQL {file} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
