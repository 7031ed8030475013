using CommunityFunnel.Application.Common;
using CommunityFunnel.Domain.Members;

namespace CommunityFunnel.Application.Data;

/// <summary>
/// The database's functions live in versioned files next to the code that calls them ("claim_flash_sale.v1.sql"), never
/// in migration strings: a migration loads the version of its own moment, and a change is a new file with a migration
/// that loads it, so the highest version is what the database runs (a test compares the two). A file writes
/// <see cref="StageOrderPlaceholder"/> for the funnel's stages in order, whose one definition is <see cref="FunnelStage"/>.
/// </summary>
public static class SqlFunctions
{
    public const string StageOrderPlaceholder = "{{stage_order}}";

    /// <summary>The stages as a SQL array, lowest first: array_position in it compares two stages.</summary>
    public static string StageOrder { get; } = $"ARRAY[{string.Join(", ", Enum.GetNames<FunnelStage>().Select(stage => $"'{stage}'"))}]";

    public static string Read(Type anchor, string file) => Render(EmbeddedSql.Read(anchor, file));

    /// <summary>A file's text as the database gets it: its placeholders filled in.</summary>
    public static string Render(string text) => text.Replace(StageOrderPlaceholder, StageOrder, StringComparison.Ordinal);
}
