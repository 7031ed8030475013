using System.Globalization;
using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Web.Components.Portal;

/// <summary>Instants as the group reads them: in the group's time zone, in the page's culture, with the zone's name.</summary>
internal static class GroupTime
{
    public static string Format(DateTimeOffset instant, string timeZoneId) =>
        LocalTimes.ToLocal(instant, TimeZones.Find(timeZoneId)).ToString("g", CultureInfo.CurrentCulture);
}
