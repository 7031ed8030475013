using System.Text;
using System.Text.Json;

namespace CommunityFunnel.IntegrationTests.Infrastructure;

/// <summary>A message as a stand-in platform read it: its text, its kind, its picture, or why the platform would refuse it.</summary>
public sealed record PlatformMessage(string Text, string Format, string? ImageUrl = null, string? Refusal = null);

/// <summary>
/// Each platform's wire format for the messages the app sends, checked as the platform checks it: required fields,
/// their types and their limits (Telegram Bot API sendMessage/sendPhoto and LinkPreviewOptions; WeCom group robot text and
/// news; Discord execute-webhook with embeds; Slack incoming webhook with section and image blocks).
/// </summary>
internal static class PlatformFormats
{
    public static PlatformMessage WeCom(JsonElement json)
    {
        switch (String(json, "msgtype"))
        {
            case "text":
                var content = String(json.GetProperty("text"), "content") ?? "";
                return new PlatformMessage(content, "text", Refusal: Bytes(content) is 0 or > 2048 ? "content exceeds 2048 bytes or is empty" : null);
            case "news":
                var articles = json.GetProperty("news").GetProperty("articles");
                if (articles.ValueKind != JsonValueKind.Array || articles.GetArrayLength() is 0 or > 8)
                {
                    return new PlatformMessage("", "news", Refusal: "news holds 1 to 8 articles");
                }

                var article = articles[0];
                var (title, description, url, picurl) = (String(article, "title") ?? "", String(article, "description") ?? "", String(article, "url"), String(article, "picurl"));
                var refusal = Bytes(title) is 0 or > 128 ? "title must be 1 to 128 bytes"
                    : Bytes(description) > 512 ? "description exceeds 512 bytes"
                    : !IsHttpUrl(url) ? "url is required"
                    : !IsHttpUrl(picurl) ? "picurl must be an http(s) address" : null;
                return new PlatformMessage(description.Length > 0 ? title + "\n" + description : title, "news", picurl, refusal);
            default:
                return new PlatformMessage("", "unknown", Refusal: "invalid message type");
        }
    }

    public static PlatformMessage TelegramMessage(JsonElement json)
    {
        var text = String(json, "text") ?? "";
        var chat = json.TryGetProperty("chat_id", out _) ? null : "chat_id is required";
        if (!json.TryGetProperty("link_preview_options", out var preview))
        {
            return new PlatformMessage(text, "sendMessage", Refusal: chat ?? (text.Length is 0 or > 4096 ? "message text is empty or too long" : null));
        }

        var url = String(preview, "url");
        var refusal = chat ?? (text.Length is 0 or > 4096 ? "message text is empty or too long"
            : !IsHttpUrl(url) ? "link preview URL is invalid"
            : preview.TryGetProperty("prefer_large_media", out var large) && large.ValueKind is not (JsonValueKind.True or JsonValueKind.False) ? "prefer_large_media must be a Boolean" : null);
        return new PlatformMessage(text, "sendMessage", url, refusal);
    }

    public static PlatformMessage TelegramPhoto(JsonElement json)
    {
        var caption = String(json, "caption") ?? "";
        var photo = String(json, "photo");
        var refusal = !json.TryGetProperty("chat_id", out _) ? "chat_id is required"
            : !IsHttpUrl(photo) ? "wrong file identifier/HTTP URL specified"
            : caption.Length > 1024 ? "message caption is too long" : null;
        return new PlatformMessage(caption, "sendPhoto", photo, refusal);
    }

    public static PlatformMessage Discord(JsonElement json)
    {
        var content = String(json, "content") ?? "";
        if (!json.TryGetProperty("embeds", out var embeds))
        {
            return new PlatformMessage(content, "text", Refusal: content.Length is 0 or > 2000 ? "content: Must be 2000 or fewer in length." : null);
        }

        var image = embeds.ValueKind == JsonValueKind.Array && embeds.GetArrayLength() is > 0 and <= 10
            && embeds[0].TryGetProperty("image", out var embedImage) ? String(embedImage, "url") : null;
        var refusal = content.Length > 2000 ? "content: Must be 2000 or fewer in length."
            : !IsHttpUrl(image) ? "embeds.0.image.url: Scheme must be one of ('http', 'https')." : null;
        return new PlatformMessage(content, "embed", image, refusal);
    }

    public static PlatformMessage Slack(JsonElement json)
    {
        var text = String(json, "text") ?? "";
        if (!json.TryGetProperty("blocks", out var blocks))
        {
            return new PlatformMessage(text, "text", Refusal: text.Length == 0 ? "no_text" : null);
        }

        string? image = null;
        var shown = new StringBuilder();
        foreach (var block in blocks.EnumerateArray())
        {
            switch (String(block, "type"))
            {
                case "section" when block.GetProperty("text") is var section && String(section, "type") is "mrkdwn" or "plain_text"
                                    && String(section, "text") is { Length: > 0 and <= 3000 } part:
                    shown.Append(part);
                    break;
                case "image" when IsHttpUrl(String(block, "image_url")) && String(block, "alt_text") is { Length: > 0 and <= 2000 }:
                    image = String(block, "image_url");
                    break;
                default:
                    return new PlatformMessage(text, "blocks", Refusal: "invalid_blocks");
            }
        }

        return new PlatformMessage(shown.ToString(), "blocks", image, blocks.GetArrayLength() > 50 ? "invalid_blocks" : null);
    }

    public static PlatformMessage Webhook(JsonElement json) =>
        new(String(json, "text") ?? "", "text", json.TryGetProperty("imageUrl", out var image) && image.ValueKind == JsonValueKind.String ? image.GetString() : null);

    private static string? String(JsonElement json, string property) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int Bytes(string text) => Encoding.UTF8.GetByteCount(text);

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
}
