namespace CommunityFunnel.Domain.Sales;

/// <summary>Where members open a sale: the page a sale's posts, the timeline and the back office's copy buttons all link to.</summary>
public static class SalePages
{
    public static string PathOf(SaleKind kind, Guid saleId) => kind == SaleKind.FlashSale ? $"/me/flash-sales/{saleId}" : $"/me/group-buys/{saleId}";
}
