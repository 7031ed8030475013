using System.Globalization;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.Pricing;
using CommunityFunnel.Application.Sales;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Sales;
using CommunityFunnel.Web.Components.Common;
using CommunityFunnel.Web.Components.Pages.Groups;
using CommunityFunnel.Web.Hardening;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CommunityFunnel.Web.Components.Pages.Sales;

/// <summary>One flash sale or group-buy for many groups: shared terms, then per group its product and price; errors at the field or the group's row.</summary>
public sealed partial class BulkSalePage
{
    private readonly FieldErrors _errors = new();
    private readonly List<TierRow> _tiers = TierRow.Starter();
    private readonly AnnouncementChoice _announce = new();
    private IReadOnlyList<ProductRow> _products = [];
    private List<GroupSaleRow> _rows = [];
    private Dictionary<Guid, Failure> _groupFailures = [];
    private bool _flashSale = true;
    private Guid _productId;
    private string? _startsAt;
    private string? _closesAt;
    private int _minutes = 30;
    private decimal _price;
    private int _stock = 100;
    private int _limit = 1;
    private int _paymentMinutes = 15;
    private int _minimum = 2;
    private FunnelStage _minStage = FunnelStage.Free;
    private bool _busy;

    [Inject] private FlashSaleService FlashSales { get; set; } = default!;
    [Inject] private GroupBuyService GroupBuys { get; set; } = default!;
    [Inject] private ProductService Products { get; set; } = default!;
    [Inject] private CurrentActor CurrentActor { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private PublicUrls PublicUrls { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private string StartField => _flashSale ? "startsAt" : "opensAt";

    private string[] Fields => [.. _flashSale ? SaleFields.FlashSale : SaleFields.GroupBuy, "groupIds", "productOverrides", "priceOverrides", "tierOverrides"];

    protected override async Task OnInitializedAsync()
    {
        _products = await Products.ListAsync(includeInactive: false, currency: null, CancellationToken.None);
        if (_products.Count > 0)
        {
            ProductChanged(_products[0].Id);
        }

        // Tomorrow at 20:00, the playbook's hour, in whatever zone each group is in.
        var tomorrow = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime).AddDays(1);
        _startsAt = tomorrow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T20:00";
        _closesAt = tomorrow.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T20:00";
    }

    private void KindChanged(bool flashSale)
    {
        _flashSale = flashSale;
        Clear();
    }

    /// <summary>The sale price starts from the chosen product's list price, as in the one-group dialog.</summary>
    private void ProductChanged(Guid productId)
    {
        _productId = productId;
        _price = _products.Single(p => p.Id == productId).Price;
        foreach (var row in _rows)
        {
            row.ProductId = DefaultProductFor(row.Group);
        }
    }

    private void GroupsChanged(IReadOnlyList<GroupRow> groups)
    {
        var kept = _rows.ToDictionary(r => r.Group.Id);
        _rows = [.. groups.Select(g => kept.GetValueOrDefault(g.Id) ?? new GroupSaleRow(g, DefaultProductFor(g)))];
        Clear();
    }

    /// <summary>The chosen product where the group trades in its currency, else the group's first product in its own currency.</summary>
    private Guid DefaultProductFor(GroupRow group) =>
        _products.FirstOrDefault(p => p.Id == _productId && p.Currency == group.Currency)?.Id
        ?? _products.FirstOrDefault(p => p.Currency == group.Currency)?.Id
        ?? _productId;

    /// <summary>An empty price is the shared one, or for a group selling its own product, that product's list price.</summary>
    private string PricePlaceholder(GroupSaleRow row) => (ListPriceOfOwnProduct(row) ?? _price).ToString("0.##", CultureInfo.CurrentCulture);

    private decimal? ListPriceOfOwnProduct(GroupSaleRow row) =>
        row.ProductId == _productId ? null : _products.FirstOrDefault(p => p.Id == row.ProductId)?.Price;

    /// <summary>A group selling its own product has no shared tier prices to fall back on.</summary>
    private string TierPlaceholder(GroupSaleRow row, int index) =>
        row.ProductId == _productId ? _tiers[index].Price.ToString("0.##", CultureInfo.CurrentCulture) : L["required"];

    private async Task CreateAsync()
    {
        _busy = true;
        try
        {
            Clear();
            var actor = await CurrentActor.GetAsync();
            var siteBase = new Uri(PublicUrls.Absolute("/", Navigation.BaseUri));
            var groupIds = _rows.Select(r => r.Group.Id).ToList();
            var products = _rows.Where(r => r.ProductId != _productId).ToDictionary(r => r.Group.Id, r => r.ProductId);
            var start = LocalTime(_startsAt);
            Result<BulkSaleOutcome> result;
            if (_flashSale)
            {
                var end = start.WallClock is { } wallClock ? SaleTime.Local(wallClock.AddMinutes(_minutes)) : default;
                var prices = _rows.Select(r => (r.Group.Id, Price: r.Price ?? ListPriceOfOwnProduct(r))).Where(r => r.Price is not null)
                    .ToDictionary(r => r.Id, r => r.Price!.Value);
                result = await FlashSales.CreateManyAsync(actor, new BulkFlashSaleInput(groupIds, _productId, _price, _stock, _limit, start, end,
                    _paymentMinutes, _minStage, products, prices, _announce.ToInput(siteBase, flashSale: true)), CancellationToken.None);
            }
            else
            {
                var tiers = _tiers.Select(t => t.ToTier()).ToList();
                var overrides = _rows.Where(r => r.HasTierPrices).ToDictionary(r => r.Group.Id, r => r.TiersOver(tiers));
                result = await GroupBuys.CreateManyAsync(actor, new BulkGroupBuyInput(groupIds, _productId, tiers, _minimum, start, LocalTime(_closesAt),
                    products, overrides, _announce.ToInput(siteBase, flashSale: false)), CancellationToken.None);
            }

            _errors.Set(result.Failure);
            if (result.Value is { Created: false } rejected)
            {
                _groupFailures = rejected.Results.Where(r => r.Failure is not null).ToDictionary(r => r.GroupId, r => r.Failure!);
            }
            else if (result.Value is { Created: true } created)
            {
                Snackbar.Add(L["Created in {0} group(s).", created.Results.Count], Severity.Success);
                Navigation.NavigateTo("/timeline");
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private void Clear()
    {
        _errors.Clear();
        _groupFailures = [];
    }

    private static SaleTime LocalTime(string? text) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local) ? SaleTime.Local(local) : default;

    private static bool Has(Failure? failure, string field) => For(failure, field) is not null;

    private static string? For(Failure? failure, string field) =>
        failure?.Violations.Where(v => v.Field == field).Select(v => v.Message).ToList() is { Count: > 0 } messages ? string.Join(" ", messages) : null;

    /// <summary>What a group's failure says beyond the cells that show their own error.</summary>
    private static string? RowMessage(Failure? failure)
    {
        var rest = failure?.Violations.Where(v => v.Field is not ("productId" or "price") && v.Field?.StartsWith("tiers[", StringComparison.Ordinal) != true).ToList();
        return rest is { Count: > 0 } ? string.Join(" ", rest.Select(v => v.Message)) : null;
    }

    /// <summary>One group's line of the form: the product it sells and the prices it overrides (null: the shared price).</summary>
    private sealed class GroupSaleRow(GroupRow group, Guid productId)
    {
        private readonly Dictionary<int, decimal> _tierPrices = [];

        public GroupRow Group { get; } = group;
        public Guid ProductId { get; set; } = productId;
        public decimal? Price { get; set; }
        public bool HasTierPrices => _tierPrices.Count > 0;

        public decimal? TierPrice(int index) => _tierPrices.TryGetValue(index, out var price) ? price : null;

        public void SetTierPrice(int index, decimal? price)
        {
            if (price is { } value)
            {
                _tierPrices[index] = value;
            }
            else
            {
                _tierPrices.Remove(index);
            }
        }

        public IReadOnlyList<GroupBuyTier> TiersOver(IReadOnlyList<GroupBuyTier> shared) =>
            [.. shared.Select((t, i) => t with { Price = TierPrice(i) ?? t.Price })];
    }
}
