namespace CommunityFunnel.Web.Hardening;

internal static class Settings
{
    /// <summary>A list setting given either as an array (<c>Key:0</c>, <c>Key:1</c>) or as one comma- or semicolon-separated value.</summary>
    public static IReadOnlyList<string> List(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection(key);
        var values = section.Value is { } single ? [single] : section.GetChildren().Select(child => child.Value ?? "");
        return values.SelectMany(value => value.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
    }
}
