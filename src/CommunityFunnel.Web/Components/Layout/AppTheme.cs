using MudBlazor;

namespace CommunityFunnel.Web.Components.Layout;

internal static class AppTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight { Primary = "#2e7d5b", Secondary = "#c2185b", AppbarBackground = "#2e7d5b" },
        PaletteDark = new PaletteDark { Primary = "#66bb8f", Secondary = "#f06292" },
    };
}
