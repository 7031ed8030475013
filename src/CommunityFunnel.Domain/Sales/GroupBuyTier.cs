namespace CommunityFunnel.Domain.Sales;

/// <summary>From <see cref="Participants"/> people on, each portion costs <see cref="Price"/>.</summary>
public sealed record GroupBuyTier(int Participants, decimal Price);
