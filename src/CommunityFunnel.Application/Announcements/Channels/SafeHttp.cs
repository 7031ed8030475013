using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CommunityFunnel.Application.Announcements.Channels;

/// <summary>
/// The HTTP plumbing every connector shares: an SSRF guard on the socket actually connected (so DNS rebinding cannot
/// slip past it), and the mapping of transport failures to "retry" (never sent) or "unknown" (maybe sent).
/// </summary>
public static class SafeHttp
{
    public const string ClientName = "channels";

    /// <summary>The most of a platform's answer ever read: enough for any real one, and a huge or endless body costs no more.</summary>
    public const int MaxResponseBytes = 64 * 1024;

    public static SocketsHttpHandler CreateHandler(Func<bool> allowPrivateAddresses) => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        EnableMultipleHttp2Connections = true,
        ConnectCallback = async (context, ct) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
            var allowed = addresses.Where(a => allowPrivateAddresses() || !IsPrivate(a)).ToArray();
            if (allowed.Length == 0)
            {
                throw new PrivateAddressRefusedException($"Refused: {context.DnsEndPoint.Host} is a private or loopback address.");
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)
            || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal)
        {
            return true;
        }

        var b = address.GetAddressBytes();
        return address.AddressFamily == AddressFamily.InterNetwork && (b[0] == 10 || b[0] == 127 || b[0] == 0
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127));
    }

    /// <summary>Sends and classifies what went wrong on the way; the caller reads a response that did arrive.</summary>
    public static async Task<(HttpResponseMessage? Response, SendOutcome? Failure)> TrySendAsync(HttpClient http, HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            // Headers only: the body is read by ReadCappedAsync, never buffered whole.
            return (await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct), null);
        }
        catch (HttpRequestException ex) when (ex.InnerException is PrivateAddressRefusedException refused)
        {
            return (null, new SendOutcome(SendResult.Failed, refused.Message));
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException)
        {
            return (null, new SendOutcome(SendResult.Retry, "Connection failed: " + ((SocketException)ex.InnerException).SocketErrorCode));
        }
        catch (HttpRequestException ex)
        {
            return (null, new SendOutcome(SendResult.Unknown, "The connection broke after the request was sent: " + ex.HttpRequestError));
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, new SendOutcome(SendResult.Unknown, "No answer before the timeout: the post may have arrived."));
        }
    }

    /// <summary>
    /// Reads at most <see cref="MaxResponseBytes"/> of an answer within <paramref name="timeout"/>; the rest is never read
    /// (disposing the response drops the connection). A body that is cut, too slow or broken still leaves its status line
    /// to judge by, so what arrived is returned.
    /// </summary>
    public static async Task<string> ReadCappedAsync(HttpResponseMessage response, TimeSpan timeout, CancellationToken ct)
    {
        var buffer = new byte[MaxResponseBytes];
        var length = 0;
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        reading.CancelAfter(timeout);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(reading.Token);
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), reading.Token)) > 0)
            {
                length += read;
            }
        }
        catch (Exception ex) when ((ex is OperationCanceledException or IOException or HttpRequestException) && !ct.IsCancellationRequested)
        {
            // judged by the status and the part that arrived
        }

        return Encoding.UTF8.GetString(buffer, 0, length);
    }
}

/// <summary>Thrown from the connect callback: the destination resolves only to addresses outbound posts may not reach.</summary>
public sealed class PrivateAddressRefusedException(string message) : IOException(message);
