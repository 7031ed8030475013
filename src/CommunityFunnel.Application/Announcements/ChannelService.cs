using System.Text.RegularExpressions;
using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Announcements.Channels;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Announcements;

/// <summary>A group's channels: what each platform needs, stored protected; a test message shows the platform's own answer.</summary>
public sealed partial class ChannelService(
    IDbContextFactory<CommunityFunnelDbContext> dbFactory,
    ChannelSecrets secrets,
    IEnumerable<IChannelConnector> connectors,
    TimeProvider clock)
{
    public async Task<Result<Guid>> AddAsync(Actor actor, Guid groupId, ChannelInput input, CancellationToken ct)
    {
        var errors = Validate(input);
        var nameError = TextRules.CheckName(input.Name ?? input.Kind.ToString(), "name", Channel.NameMaxLength, out var name);
        if (nameError is not null)
        {
            errors.Add(nameError);
        }

        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindGroupForAsync(actor, groupId, ct);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        var secret = new ChannelSecret(Blank(input.Url), Blank(input.Key), Blank(input.Token), Blank(input.Secret));
        var channel = new Channel(groupId, input.Kind, name, secrets.Protect(secret), secret.Hint(), Blank(input.ChatId), clock.GetUtcNow());
        db.Channels.Add(channel);
        await db.SaveChangesAsync(ct);
        return channel.Id;
    }

    public async Task<Result<IReadOnlyList<ChannelRow>>> ListAsync(Actor actor, Guid groupId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindGroupForAsync(actor, groupId, ct);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        return await db.Channels.AsNoTracking().Where(c => c.GroupId == groupId && c.DeletedAt == null).OrderBy(c => c.CreatedAt)
            .Select(c => new ChannelRow(c.Id, c.GroupId, c.Kind, c.Name, c.Hint, c.ChatId, c.IsActive, c.PausedAt != null))
            .ToListAsync(ct);
    }

    /// <summary>No posts go out until it is resumed; they wait, and those whose deadline passes meanwhile expire unsent.</summary>
    public Task<Result<ChannelChanged>> PauseAsync(Actor actor, Guid channelId, CancellationToken ct) =>
        ChangeAsync(actor, channelId, "channel.paused", c => c.Pause(clock.GetUtcNow()), cancelWaiting: false, ct);

    public Task<Result<ChannelChanged>> ResumeAsync(Actor actor, Guid channelId, CancellationToken ct) =>
        ChangeAsync(actor, channelId, "channel.resumed", c => c.Resume(), cancelWaiting: false, ct);

    /// <summary>No posts are created for it any more, and those waiting are cancelled; what is already on its way goes.</summary>
    public Task<Result<ChannelChanged>> DeactivateAsync(Actor actor, Guid channelId, CancellationToken ct) =>
        ChangeAsync(actor, channelId, "channel.deactivated", c => c.Deactivate(), cancelWaiting: true, ct);

    /// <summary>New posts reach it again; the ones cancelled while it was inactive stay cancelled.</summary>
    public Task<Result<ChannelChanged>> ActivateAsync(Actor actor, Guid channelId, CancellationToken ct) =>
        ChangeAsync(actor, channelId, "channel.activated", c => c.Activate(), cancelWaiting: false, ct);

    /// <summary>Gone from the list and the API, its waiting posts cancelled; its delivery history keeps its name.</summary>
    public Task<Result<ChannelChanged>> DeleteAsync(Actor actor, Guid channelId, CancellationToken ct) =>
        ChangeAsync(actor, channelId, "channel.deleted", c => c.Delete(clock.GetUtcNow()), cancelWaiting: true, ct);

    private async Task<Result<ChannelChanged>> ChangeAsync(Actor actor, Guid channelId, string action, Action<Channel> change, bool cancelWaiting, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindInGroupForAsync(actor, db.Channels.Where(c => c.Id == channelId && c.DeletedAt == null), c => c.GroupId, "channel", ct);
        if (found.Value is not { } channel)
        {
            return found.Failure!;
        }

        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        change(channel);
        db.Audit(now, AuditCategory.Announcements, actor, action, channel.Id.ToString(), channel.Name);
        // Saving first locks the channel row, so a dispatcher claiming meanwhile skips the channel (SKIP LOCKED) and, after
        // the commit, finds it inactive: nothing waiting can be claimed between the update and the cancel below.
        await db.SaveChangesAsync(ct);
        var cancelled = cancelWaiting
            ? await db.Deliveries.Where(d => d.ChannelId == channel.Id && d.Status == DeliveryStatus.Scheduled)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Cancelled).SetProperty(d => d.NextAttemptAt, now), ct)
            : 0;
        await tx.CommitAsync(ct);
        return new ChannelChanged(new ChannelRow(channel.Id, channel.GroupId, channel.Kind, channel.Name, channel.Hint, channel.ChatId, channel.IsActive, channel.PausedAt is not null), cancelled);
    }

    /// <summary>Sends a test message now, outside the schedule, and returns the platform's answer (errors included).</summary>
    public async Task<Result<SendOutcome>> SendTestAsync(Actor actor, Guid channelId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.FindInGroupForAsync(actor, db.Channels.AsNoTracking().Where(c => c.Id == channelId && c.DeletedAt == null), c => c.GroupId, "channel", ct);
        if (found.Value is not { } channel)
        {
            return found.Failure!;
        }

        if (channel.Kind == ChannelKind.Assisted)
        {
            return new SendOutcome(SendResult.Sent, "Assisted channels have no bot: posts wait in the operator's queue.");
        }

        var connector = connectors.Single(c => c.Kind == channel.Kind);
        var secret = secrets.Unprotect(channel.ProtectedSecret);
        var outcome = await connector.SendAsync(secret, channel.ChatId,
            new OutboundPost(Guid.Empty, channel.GroupId, "CommunityFunnel test message ✅", clock.GetUtcNow()), Departure.Now, ct);
        return outcome.Scrubbed(secret);
    }

    private static List<RuleViolation> Validate(ChannelInput input)
    {
        var errors = new List<RuleViolation>();
        void Require(bool ok, string code, string message, string field)
        {
            if (!ok)
            {
                errors.Add(new RuleViolation(code, message, field));
            }
        }

        switch (input.Kind)
        {
            case ChannelKind.WeCom:
                Require(input.Key is { } key && RobotKey().IsMatch(key.Trim()), "invalid_key", "A WeCom robot key looks like 693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa (from the robot's webhook address).", "key");
                break;
            case ChannelKind.Telegram:
                Require(input.Token is { } token && BotToken().IsMatch(token.Trim()), "invalid_token", "A Telegram bot token looks like 123456789:AAH… (from @BotFather).", "token");
                Require(input.ChatId is { } chat && ChatId().IsMatch(chat.Trim()), "invalid_chat_id", "A Telegram chat id is a number such as -1001234567890, or @channelname.", "chatId");
                break;
            case ChannelKind.Discord or ChannelKind.Slack:
                Require(IsHttpUrl(input.Url), "invalid_url", $"Paste the {input.Kind} webhook address (https://…).", "url");
                break;
            case ChannelKind.Webhook:
                Require(IsHttpUrl(input.Url), "invalid_url", "The webhook address must be an absolute http(s) URL.", "url");
                Require((input.Secret?.Trim().Length ?? 0) >= 16, "invalid_secret", "The signing secret must be at least 16 characters.", "secret");
                break;
            case ChannelKind.Assisted:
                break;
            default:
                errors.Add(new RuleViolation("unknown_kind", "Kind must be Webhook, WeCom, Telegram, Discord, Slack or Assisted.", "kind"));
                break;
        }

        return errors;
    }

    private static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex("^[A-Za-z0-9-]{8,64}$")]
    private static partial Regex RobotKey();

    [GeneratedRegex(@"^\d{5,12}:[A-Za-z0-9_-]{20,60}$")]
    private static partial Regex BotToken();

    [GeneratedRegex(@"^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$")]
    private static partial Regex ChatId();
}
