namespace CommunityFunnel.Domain.Orders;

/// <summary>Who asks for a refund, and the client's key that makes a retry of the same request find the first refund.</summary>
public sealed record RefundOrigin(string By, string? IdempotencyKey = null);
