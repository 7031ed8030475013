using CommunityFunnel.Domain.Members;

namespace CommunityFunnel.Domain.Pricing;

public sealed class Product
{
    public const int NameMaxLength = 120;
    public const int DescriptionMaxLength = 2000;

    /// <summary>Enough for a cover, the contents and the label; more would only slow the offer page on a phone.</summary>
    public const int MaxPictures = 8;

    private Product()
    {
    }

    public Product(ProductSpec spec, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        CreatedAt = createdAt;
        IsActive = true;
        Apply(spec);
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Description { get; private set; } = "";
    public FunnelStage Tier { get; private set; }
    public decimal Price { get; private set; }
    public string Currency { get; private set; } = "";
    public ProductKind Kind { get; private set; }
    public bool IsActive { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public uint Version { get; private set; }

    /// <summary>Applies an already-validated spec (see <see cref="ProductSpec.Validate"/>).</summary>
    public void Apply(ProductSpec spec)
    {
        Name = spec.Name;
        Description = spec.Description;
        Tier = spec.Tier;
        Price = spec.Price;
        Currency = spec.Currency;
        Kind = spec.Kind;
    }

    public void SetActive(bool active) => IsActive = active;
}
