using System.Globalization;

namespace CommunityFunnel.Application.Announcements;

/// <summary>
/// The language a group's posts are written in, from where the group lives. A stand-in until groups carry their own
/// language setting: mainland China writes Simplified Chinese, Taiwan, Hong Kong and Macau Traditional, Spain Spanish.
/// </summary>
public static class GroupCulture
{
    public static CultureInfo For(string timeZoneId) => CultureInfo.GetCultureInfo(timeZoneId switch
    {
        "Asia/Shanghai" or "Asia/Chongqing" or "Asia/Harbin" or "Asia/Urumqi" or "PRC" => "zh-Hans",
        "Asia/Taipei" or "Asia/Hong_Kong" or "Asia/Macau" => "zh-Hant",
        "Europe/Madrid" or "Atlantic/Canary" or "Africa/Ceuta" => "es",
        _ => "en",
    });
}
