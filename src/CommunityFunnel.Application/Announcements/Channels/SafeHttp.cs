using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CommunityFunnel.Application.Announcements.Channels;

/// <summary>
/// The HTTP plumbing every connector shares: an SSRF guard on the socket actually connected (so DNS rebinding cannot
/// slip past it), no redirects followed, answers read only up to a cap, and the mapping of transport failures to
/// "retry" (never sent) or "unknown" (maybe sent).
/// </summary>
public static class SafeHttp
{
    public const string ClientName = "channels";

    /// <summary>The most of a platform's answer ever read: enough for any real one, and a huge or endless body costs no more.</summary>
    public const int MaxResponseBytes = 64 * 1024;

    public static SocketsHttpHandler CreateHandler(Func<bool> allowPrivateAddresses) => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        // A 307/308 would re-send the signed body to wherever it points: redirects come back to the connector as failures.
        AllowAutoRedirect = false,
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

    /// <summary>
    /// IANA's special-purpose ranges that are not globally reachable (RFC 6890 and its registries), plus ranges that
    /// translate to IPv4 addresses we cannot see (NAT64, 6to4, Teredo): an outbound post never goes there.
    /// </summary>
    private static readonly IPNetwork[] NotPublic =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
            "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
            "224.0.0.0/4", "240.0.0.0/4", // multicast; reserved, including 255.255.255.255
            "::/128", "::1/128", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "2002::/16",
            "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
        }.Select(IPNetwork.Parse),
    ];

    public static bool IsPrivate(IPAddress address)
    {
        // An IPv4 address written as IPv6 (::ffff:a.b.c.d, or the deprecated ::a.b.c.d) is judged as the IPv4 it reaches.
        if (address.IsIPv4MappedToIPv6 || IsIPv4Compatible(address))
        {
            address = new IPAddress(address.GetAddressBytes()[12..]);
        }

        return NotPublic.Any(network => network.Contains(address));
    }

    private static bool IsIPv4Compatible(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        var bytes = address.GetAddressBytes();
        return bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 && !(address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback));
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
