using CommunityFunnel.Domain.Common;

namespace CommunityFunnel.Application.Common;

public enum FailureKind
{
    Invalid,
    NotFound,
    Forbidden,
    Conflict,

    /// <summary>Well-formed, but not possible in the current state (a sale that is not live).</summary>
    Unprocessable,
}

/// <summary>Why a use case did not happen. Nothing was written when a service returns one.</summary>
public sealed record Failure(FailureKind Kind, IReadOnlyList<RuleViolation> Violations)
{
    public string Code => Violations.Count > 0 ? Violations[0].Code : Kind.ToString().ToLowerInvariant();

    public string Message => string.Join(" ", Violations.Select(v => v.Message));

    public static Failure Invalid(IReadOnlyList<RuleViolation> violations) => new(FailureKind.Invalid, violations);

    public static Failure Invalid(string code, string message, string? field = null) => Invalid([new RuleViolation(code, message, field)]);

    public static Failure NotFound(string what) => new(FailureKind.NotFound, [new RuleViolation("not_found", $"{what} was not found.")]);

    public static Failure Forbidden(string what) =>
        new(FailureKind.Forbidden, [new RuleViolation("forbidden", $"You do not have access to {what}.")]);

    public static Failure Conflict(string code, string message, string? field = null) =>
        new(FailureKind.Conflict, [new RuleViolation(code, message, field)]);

    public static Failure Unprocessable(string code, string message, string? field = null) =>
        new(FailureKind.Unprocessable, [new RuleViolation(code, message, field)]);
}

/// <summary>A use case's answer: the value, or the <see cref="Failure"/> that explains why not.</summary>
public readonly record struct Result<T>
{
    private Result(T? value, Failure? failure)
    {
        Value = value;
        Failure = failure;
    }

    public T? Value { get; }
    public Failure? Failure { get; }
    public bool Succeeded => Failure is null;

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(Failure failure) => new(default, failure);
}
