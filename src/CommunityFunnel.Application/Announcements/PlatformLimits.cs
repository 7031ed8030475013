using CommunityFunnel.Application.Announcements.Channels;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Application.Announcements;

internal static class PlatformLimits
{
    /// <summary>Refuses, before anything is scheduled, a text some channel's platform would reject, naming that platform's limit.</summary>
    public static void Check(
        IEnumerable<IChannelConnector> connectors, string groupName, string text, IEnumerable<Channel> channels, string field, List<RuleViolation> errors, bool withImage = false)
    {
        foreach (var channel in channels.Where(c => c.Kind != ChannelKind.Assisted))
        {
            if (connectors.Single(c => c.Kind == channel.Kind).RefuseText(text, withImage) is { } refusal)
            {
                errors.Add(new RuleViolation("text_too_long_for_platform", $"{groupName} / {channel.Name}: {refusal}", field));
            }
        }
    }
}
