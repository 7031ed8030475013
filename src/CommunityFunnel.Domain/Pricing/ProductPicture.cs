namespace CommunityFunnel.Domain.Pricing;

/// <summary>One of a product's pictures; the one at position 0 is its cover.</summary>
public sealed class ProductPicture
{
    private ProductPicture()
    {
    }

    public ProductPicture(Guid productId, Guid imageId, int position, DateTimeOffset addedAt)
    {
        Id = Guid.CreateVersion7(addedAt);
        ProductId = productId;
        ImageId = imageId;
        Position = position;
    }

    public Guid Id { get; private set; }
    public Guid ProductId { get; private set; }
    public Guid ImageId { get; private set; }
    public int Position { get; private set; }

    public void MoveTo(int position) => Position = position;
}
