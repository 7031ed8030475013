using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Members;

namespace CommunityFunnel.Application.Groups;

public sealed record GroupInput(
    string? Name,
    ChatPlatform Platform,
    string? TimeZone,
    string? Currency,
    int? Capacity,
    string? AudienceNotes,
    IReadOnlyList<string>? Rules,
    string? Language = null,
    string? HostContact = null,
    string? Country = null);

/// <summary>Some of a group's settings to change (for integrations); what is null stays as it is.</summary>
public sealed record GroupChanges(
    string? Name = null,
    ChatPlatform? Platform = null,
    string? TimeZone = null,
    string? Currency = null,
    int? Capacity = null,
    string? AudienceNotes = null,
    IReadOnlyList<string>? Rules = null,
    string? Language = null,
    string? HostContact = null,
    string? Country = null,
    string? PaymentInstructions = null);

public sealed record GroupRow(
    Guid Id,
    string Name,
    ChatPlatform Platform,
    string TimeZoneId,
    string Currency,
    int Capacity,
    bool IsArchived,
    int MemberCount,
    IReadOnlyDictionary<FunnelStage, int> StageCounts);

public sealed record GroupDetails(
    Guid Id,
    string Name,
    ChatPlatform Platform,
    string TimeZoneId,
    string Currency,
    int Capacity,
    string AudienceNotes,
    IReadOnlyList<string> Rules,
    string Language,
    string? Country,
    string JoinCode,
    bool IsArchived,
    DateTimeOffset CreatedAt,
    int MemberCount,
    IReadOnlyDictionary<FunnelStage, int> StageCounts,
    string HostContact)
{
    /// <summary>The group's public join link; filled in by the web layer, the only one that knows the public address.</summary>
    public string? JoinUrl { get; init; }

    /// <summary>How members pay the host (see <see cref="Payments.PaymentInstructions"/>); empty when none are set.</summary>
    public string PaymentInstructions { get; init; } = "";

    /// <summary>The host's collection QR code (root-relative; absolute in the API), or null when none was uploaded.</summary>
    public string? PaymentQrUrl { get; init; }
}

/// <summary>Where a group's public join link points.</summary>
public static class JoinLinks
{
    public static string PathFor(string joinCode) => $"/join/{joinCode}";

    /// <summary>A member's share link: the group's join link that records them as the referrer of whoever joins through it.</summary>
    public static string PathFor(string joinCode, string referralCode) => $"/join/{joinCode}?ref={Uri.EscapeDataString(referralCode)}";
}
