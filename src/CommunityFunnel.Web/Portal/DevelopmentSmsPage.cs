using System.Text;
using System.Text.Encodings.Web;
using CommunityFunnel.Application.SignIn.Sms;

namespace CommunityFunnel.Web.Portal;

/// <summary>Development without an SMS provider: the codes that would have been sent, newest first. Mapped only in Development.</summary>
internal static class DevelopmentSmsPage
{
    public const string Path = "/dev/sms";

    public static void MapDevelopmentSmsOutbox(this WebApplication app) =>
        app.MapGet(Path, (DevelopmentSmsOutbox outbox) =>
            {
                var html = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>SMS outbox (development)</title></head><body>");
                html.Append("<h1>SMS outbox (development only)</h1><p>Codes that would have been sent by SMS; set Sms:Provider to send real ones.</p><ul>");
                foreach (var message in outbox.Recent)
                {
                    html.Append("<li><strong>").Append(HtmlEncoder.Default.Encode(message.Phone)).Append("</strong> ")
                        .Append(HtmlEncoder.Default.Encode(message.At.ToString("u"))).Append(": ")
                        .Append(HtmlEncoder.Default.Encode(message.Text)).Append("</li>");
                }

                return Results.Content(html.Append("</ul></body></html>").ToString(), "text/html; charset=utf-8");
            })
            .AllowAnonymous();
}
