using System.Globalization;
using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Web.Components.Pages.Groups;

/// <summary>A datetime-local field's text, read as wall-clock time in the group's zone.</summary>
internal static class LocalInput
{
    public static DateTimeOffset? ToUtc(string? text, string timeZoneId) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local) ? LocalTimes.ToUtc(local, TimeZones.Find(timeZoneId)) : null;

    public static string Format(DateTimeOffset instant, string timeZoneId) =>
        LocalTimes.ToLocal(instant, TimeZones.Find(timeZoneId)).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
}
