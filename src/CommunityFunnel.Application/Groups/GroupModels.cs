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
    string? Language = null);

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
    string JoinCode,
    bool IsArchived,
    DateTimeOffset CreatedAt,
    int MemberCount,
    IReadOnlyDictionary<FunnelStage, int> StageCounts);
