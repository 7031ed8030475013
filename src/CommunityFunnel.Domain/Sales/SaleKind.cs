namespace CommunityFunnel.Domain.Sales;

public enum SaleKind
{
    FlashSale,
    GroupBuy,
}
