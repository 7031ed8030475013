using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CommunityFunnel.Web.Hardening;

/// <summary>
/// For pages a library renders with inline scripts we do not write (Scalar's API reference boots itself with one):
/// buffers the small HTML page and allows exactly those scripts by hash, so the policy needs no 'unsafe-inline'.
/// </summary>
internal sealed partial class InlineScriptHashes(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
        {
            var html = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            SecurityHeaders.AllowScriptHashes(context, InlineScript().Matches(html)
                .Select(match => match.Groups["body"].Value)
                .Where(body => !string.IsNullOrWhiteSpace(body))
                .Select(body => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(body))))
                .ToArray());
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    [GeneratedRegex(@"<script\b[^>]*>(?<body>.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
