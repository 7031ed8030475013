using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CommunityFunnel.Application.Events;

namespace CommunityFunnel.Application.Webhooks;

/// <summary>What a receiver gets: <c>{"id": event id, "type": published name, "occurredAt": ISO 8601, "data": the event}</c>.</summary>
public static class WebhookBody
{
    public static string For(OutboxMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + message.Payload.Length);
        // Relaxed escaping: the body is read as JSON, never placed in HTML, so "+" and non-ASCII text stay as they are.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("id", message.Id);
            writer.WriteString("type", message.Type);
            writer.WriteString("occurredAt", message.OccurredAt);
            writer.WritePropertyName("data");
            using (var data = JsonDocument.Parse(message.Payload))
            {
                data.RootElement.WriteTo(writer); // compact, whatever spacing PostgreSQL's jsonb gave the stored payload
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
