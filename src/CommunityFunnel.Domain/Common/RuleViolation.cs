namespace CommunityFunnel.Domain.Common;

/// <summary>An expected rule violation: a stable machine code, a human message, and the input field it concerns.</summary>
public sealed record RuleViolation(string Code, string Message, string? Field = null);
