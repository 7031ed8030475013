using System.Net;
using System.Net.Sockets;

namespace CommunityFunnel.Application.Announcements.Channels;

/// <summary>
/// The HTTP plumbing every connector shares: an SSRF guard on the socket actually connected (so DNS rebinding cannot
/// slip past it), and the mapping of transport failures to "retry" (never sent) or "unknown" (maybe sent).
/// </summary>
public static class SafeHttp
{
    public const string ClientName = "channels";

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
            return (await http.SendAsync(request, ct), null);
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
}

/// <summary>Thrown from the connect callback: the destination resolves only to addresses outbound posts may not reach.</summary>
public sealed class PrivateAddressRefusedException(string message) : IOException(message);
