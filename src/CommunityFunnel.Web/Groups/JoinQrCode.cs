using CommunityFunnel.Application.Sharing;

namespace CommunityFunnel.Web.Groups;

/// <summary>The formats a join link's QR code downloads in: PNG for chats and print shops, SVG for any size.</summary>
internal static class JoinQrCode
{
    public const string Png = "png";
    public const string Svg = "svg";

    public static bool IsFormat(string format) => format is Png or Svg;

    public static string ContentType(string format) => format == Svg ? "image/svg+xml" : "image/png";

    public static byte[] Render(string joinUrl, string format) =>
        format == Svg ? System.Text.Encoding.UTF8.GetBytes(QrCodes.Svg(joinUrl)) : QrCodes.Png(joinUrl);
}
