using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Common;
using CommunityFunnel.Application.Data;
using CommunityFunnel.Application.Pricing;
using CommunityFunnel.Domain.Common;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Pricing;
using Microsoft.EntityFrameworkCore;

namespace CommunityFunnel.Application.Sales;

/// <summary>A group a sale for many groups goes to, with the product it sells there.</summary>
internal sealed record SaleTarget(Group Group, Product Product);

/// <summary>A group's sale as checked before anything is created: its target and terms, or why the group cannot take it.</summary>
internal sealed record PlannedSale<TTerms>(Guid GroupId, SaleTarget? Target, TTerms? Terms, Failure? Failure)
    where TTerms : class;

/// <summary>
/// The per-group half of a sale for many groups: which groups the actor may sell in and with which product. A group
/// that does not exist and one run by someone else answer alike, so the answer reveals no other operator's group.
/// </summary>
internal static class SaleGroups
{
    public const int MaxGroups = 100;

    /// <summary>The request's shape: how many groups, and overrides only for groups in the request.</summary>
    public static List<RuleViolation> CheckShape(IReadOnlyList<Guid> groupIds, (SaleTime Value, string Field) start, (SaleTime Value, string Field) end,
        params (string Field, IEnumerable<Guid>? Keys)[] overrides)
    {
        var errors = new List<RuleViolation>();
        foreach (var (_, field) in new[] { start, end }.Where(t => !t.Value.IsGiven))
        {
            errors.Add(new RuleViolation("time_required", $"Give {field} (an instant such as 2026-11-27T12:00Z) or its local form (2026-11-27T20:00 in each group's zone).", field));
        }

        if (groupIds.Count is 0 or > MaxGroups)
        {
            errors.Add(new RuleViolation("groups_required", $"Choose between 1 and {MaxGroups} groups.", "groupIds"));
        }

        foreach (var (field, keys) in overrides)
        {
            if (keys is not null && keys.Any(k => !groupIds.Contains(k)))
            {
                errors.Add(new RuleViolation("override_for_other_group", "Overrides are keyed by the id of a group in groupIds.", field));
            }
        }

        return errors;
    }

    /// <summary>For each group, in the request's order: where and what it sells, or why it cannot.</summary>
    public static async Task<List<(Guid GroupId, Result<SaleTarget> Target)>> ResolveAsync(CommunityFunnelDbContext db, Actor actor, IReadOnlyList<Guid> groupIds,
        Guid productId, IReadOnlyDictionary<Guid, Guid>? productOverrides, CancellationToken ct)
    {
        var groups = await db.VisibleGroups(actor).AsNoTracking().Where(g => groupIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, ct);
        var productIds = (productOverrides?.Values ?? []).Append(productId).Distinct().ToList();
        var products = await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        return groupIds.Select(id => (id, Resolve(id, groups.GetValueOrDefault(id), products.GetValueOrDefault(productOverrides is { } own && own.TryGetValue(id, out var product) ? product : productId)))).ToList();
    }

    private static Result<SaleTarget> Resolve(Guid groupId, Group? group, Product? product)
    {
        if (group is null)
        {
            return Unavailable(groupId);
        }

        var errors = new List<RuleViolation>();
        if (group.IsArchived)
        {
            errors.Add(new RuleViolation("group_archived", $"{group.Name} is archived.", "groupIds"));
        }

        errors.AddIfAny(ProductOffer.Problem(product, group));
        return errors.Count > 0 ? Failure.Invalid(errors) : new SaleTarget(group, product!);
    }

    /// <summary>The shared price is the shared product's: a group selling another product (in its own currency, say) names its own price.</summary>
    public static RuleViolation? OwnPriceProblem(SaleTarget target, Guid sharedProductId, bool hasOwnPrice, string field) =>
        target.Product.Id != sharedProductId && !hasOwnPrice
            ? new RuleViolation("price_required", $"{target.Group.Name} sells {target.Product.Name} ({target.Product.Currency}): give it its own price.", field)
            : null;

    public static Failure Unavailable(Guid groupId) =>
        new(FailureKind.NotFound, [new RuleViolation("group_unavailable", $"There is no group {groupId} among the groups you run.", "groupIds")]);

    /// <summary>The per-group failures of a check, all or nothing: null when every group passed.</summary>
    /// <summary>
    /// All or nothing: when any group was refused, nothing is created and each group's answer says why; otherwise every
    /// planned sale is added (<paramref name="add"/> returns its id) and saved (<paramref name="save"/>) in one transaction.
    /// </summary>
    public static async Task<BulkSaleOutcome> CreateAllAsync<TTerms>(CommunityFunnelDbContext db, IReadOnlyList<PlannedSale<TTerms>> planned,
        Func<SaleTarget, TTerms, Task<Guid>> add, Func<Task> save, CancellationToken ct)
        where TTerms : class
    {
        if (Rejected([.. planned.Select(p => (p.GroupId, p.Failure))]) is { } rejected)
        {
            return rejected;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var results = new List<GroupSaleResult>();
        foreach (var (groupId, target, terms, _) in planned)
        {
            results.Add(new GroupSaleResult(groupId, await add(target!, terms!), null));
        }

        await save();
        await tx.CommitAsync(ct);
        return new BulkSaleOutcome(true, results);
    }

    private static BulkSaleOutcome? Rejected(IReadOnlyList<(Guid GroupId, Failure? Failure)> checks) =>
        checks.Any(c => c.Failure is not null) ? new BulkSaleOutcome(false, [.. checks.Select(c => new GroupSaleResult(c.GroupId, null, c.Failure))]) : null;
}
