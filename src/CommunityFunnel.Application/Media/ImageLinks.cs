using CommunityFunnel.Domain.Media;

namespace CommunityFunnel.Application.Media;

/// <summary>Where stored pictures are served: root-relative paths for the app's own pages, made absolute for chat platforms.</summary>
public static class ImageLinks
{
    public const string Prefix = "/media/";

    public static string PathFor(string token, string contentType) => Prefix + StoredImage.FileName(token, contentType);

    /// <summary>The file name ("token.jpg") a reference names: a path or absolute address under <see cref="Prefix"/>; null for anything else.</summary>
    public static string? FileNameOf(string? reference)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            return null;
        }

        var path = Uri.TryCreate(reference.Trim(), UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https" ? absolute.AbsolutePath : reference.Trim();
        return path.StartsWith(Prefix, StringComparison.Ordinal) && path.Length > Prefix.Length && !path[Prefix.Length..].Contains('/') ? path[Prefix.Length..] : null;
    }

    /// <summary>The absolute address on the public base (which ends in '/'), as platforms fetch it.</summary>
    public static string Absolute(Uri publicBase, string path) => new Uri(publicBase, path.TrimStart('/')).ToString();
}
