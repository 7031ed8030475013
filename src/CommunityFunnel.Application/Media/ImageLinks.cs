using CommunityFunnel.Domain.Media;

namespace CommunityFunnel.Application.Media;

/// <summary>Where stored pictures are served: root-relative paths for the app's own pages, made absolute for chat platforms.</summary>
public static class ImageLinks
{
    public const string Prefix = "/media/";

    public static string PathFor(string token, string contentType) => Prefix + StoredImage.FileName(token, contentType);

    /// <summary>The absolute address on the public base (which ends in '/'), as platforms fetch it.</summary>
    public static string Absolute(Uri publicBase, string path) => new Uri(publicBase, path.TrimStart('/')).ToString();
}
