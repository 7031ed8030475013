namespace CommunityFunnel.Domain.Pricing;

/// <summary>The per-group assortment: this product is offered in this group.</summary>
public sealed class GroupProduct
{
    private GroupProduct()
    {
    }

    public GroupProduct(Guid groupId, Guid productId)
    {
        GroupId = groupId;
        ProductId = productId;
    }

    public Guid GroupId { get; private set; }
    public Guid ProductId { get; private set; }
}
