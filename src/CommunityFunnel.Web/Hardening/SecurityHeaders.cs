using System.Security.Cryptography;

namespace CommunityFunnel.Web.Hardening;

/// <summary>
/// Security headers on every response (pages, API, static files, errors), set just before the response starts so
/// that nothing later in the pipeline can drop them. The Content-Security-Policy allows no inline or evaluated
/// script: the one inline script Blazor renders (the import map) carries this response's nonce, and pages that
/// render inline scripts of their own (the API reference) add their hashes through <see cref="InlineScriptHashes"/>.
/// Inline styles stay allowed: MudBlazor sets style attributes on its components.
/// </summary>
internal static class SecurityHeaders
{
    private static readonly object NonceItem = new();
    private static readonly object ScriptHashesItem = new();
    private static readonly object TelegramWidgetItem = new();

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // base64url: a "+" would be written into the page as an entity and no longer match the header
            context.Items[NonceItem] = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = Policy(Nonce(context), context.Items[ScriptHashesItem] as IEnumerable<string> ?? [],
                    context.Items.ContainsKey(TelegramWidgetItem));
                headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                // Member pages are reached through personal links and referral codes: send nothing, not even to ourselves.
                headers["Referrer-Policy"] = IsMemberPath(context.Request.Path) ? "no-referrer" : "strict-origin-when-cross-origin";
                return Task.CompletedTask;
            });
            return next(context);
        });

    /// <summary>The nonce of this response's policy, for the inline scripts the app itself renders.</summary>
    public static string Nonce(HttpContext context) => (string)context.Items[NonceItem]!;

    /// <summary>Allows inline scripts a page rendered (as sha256-base64 hashes) under this response's policy.</summary>
    public static void AllowScriptHashes(HttpContext context, IReadOnlyCollection<string> hashes) => context.Items[ScriptHashesItem] = hashes;

    /// <summary>
    /// Lets this response load Telegram's Login Widget: its script from telegram.org, which frames oauth.telegram.org.
    /// Only a Telegram group's sign-in page asks for it.
    /// </summary>
    public static void AllowTelegramLoginWidget(HttpContext context) => context.Items[TelegramWidgetItem] = true;

    public static string Policy(string nonce, IEnumerable<string> scriptHashes, bool telegramWidget = false) => string.Join("; ", (string[])[
        "default-src 'self'",
        string.Join(' ', ["script-src 'self'", $"'nonce-{nonce}'", .. scriptHashes.Select(hash => $"'sha256-{hash}'"), .. telegramWidget ? ["https://telegram.org"] : Array.Empty<string>()]),
        .. telegramWidget ? ["frame-src https://oauth.telegram.org"] : Array.Empty<string>(),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'", // includes the Blazor circuit's WebSocket to the same host
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'"]);

    private static bool IsMemberPath(PathString path) =>
        path.StartsWithSegments("/m") || path.StartsWithSegments("/me") || path.StartsWithSegments("/join");
}
