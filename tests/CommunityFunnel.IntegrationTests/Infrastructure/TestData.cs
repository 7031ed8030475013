using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Groups;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Application.Orders;
using CommunityFunnel.Application.Pricing;
using CommunityFunnel.Application.Sales;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Pricing;

namespace CommunityFunnel.IntegrationTests.Infrastructure;

/// <summary>Builds test data through the real services, so every row a test uses passed the same checks as live data.</summary>
public sealed class TestData(PostgresFixture database)
{
    public static Actor Admin { get; } = new("admin-actor", "Test Admin", IsAdmin: true);

    public async Task<Guid> GroupAsync(string name = "Tea lovers", string currency = "CNY", string timeZone = "Asia/Shanghai", int? capacity = null, string? hostContact = null)
    {
        var input = new GroupInput(name, ChatPlatform.WeCom, timeZone, currency, capacity, null, null, HostContact: hostContact);
        var result = await database.Get<GroupService>().CreateAsync(Admin, input, default);
        return Succeeded(result);
    }

    public async Task<Guid> ProductAsync(FunnelStage tier = FunnelStage.Low, decimal price = 9.9m, string currency = "CNY", ProductKind kind = ProductKind.Profit)
    {
        var result = await database.Get<ProductService>().CreateAsync(Admin, new ProductInput($"{tier} {price}", null, tier, price, currency, kind), default);
        return Succeeded(result);
    }

    public async Task<Guid> MemberAsync(Guid groupId, string name = "Ada", string? phone = null, Guid? referrerId = null)
    {
        var result = await database.Get<MemberService>().AddToGroupAsync(Admin, groupId, new MemberInput(name, phone, ReferrerId: referrerId), default);
        return Succeeded(result).Id;
    }

    /// <summary>Grandparent referred Parent, who referred Buyer, all in one new group: the two levels of a rebate.</summary>
    public async Task<(Guid Group, Guid Grandparent, Guid Parent, Guid Buyer)> ReferralChainAsync()
    {
        var group = await GroupAsync();
        var grandparent = await MemberAsync(group, "Grandparent");
        var parent = await MemberAsync(group, "Parent", referrerId: grandparent);
        var buyer = await MemberAsync(group, "Buyer", referrerId: parent);
        return (group, grandparent, parent, buyer);
    }

    public async Task<Guid> OrderAsync(Guid memberId, Guid groupId, Guid productId, bool paid = false)
    {
        var orders = database.Get<OrderService>();
        var order = Succeeded(await orders.RecordAsync(Admin, new OrderInput(memberId, groupId, productId, 1, null), default));
        if (paid)
        {
            Succeeded(await orders.PayAsync(Admin, order.Id, default));
        }

        return order.Id;
    }

    /// <summary>A flash sale of a fresh Low product in <paramref name="groupId"/>, live from the test clock's now for an hour.</summary>
    public async Task<Guid> FlashSaleAsync(Guid groupId, int stock = 10, int limit = 2, decimal price = 9.9m, int paymentMinutes = 15, FunnelStage minStage = FunnelStage.Free)
    {
        var product = await ProductAsync(FunnelStage.Low, 19.9m);
        var now = database.Clock.GetUtcNow();
        var input = new FlashSaleInput(groupId, product, price, stock, limit, now, now.AddHours(1), paymentMinutes, minStage);
        return Succeeded(await database.Get<FlashSaleService>().CreateAsync(Admin, input, default));
    }

    /// <summary>Members added to <paramref name="groupId"/> in one go (names and phones unique).</summary>
    public async Task<Guid[]> MembersAsync(Guid groupId, int count)
    {
        var ids = new Guid[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = await MemberAsync(groupId, $"Buyer {i}");
        }

        return ids;
    }

    /// <summary>A personal link's token for <paramref name="memberId"/>, made by <paramref name="actor"/> (the admin unless given).</summary>
    public async Task<string> PersonalLinkAsync(Guid memberId, Actor? actor = null, Guid? groupId = null) =>
        Succeeded(await database.Get<Application.Portal.MemberLinks>().CreateAsync(actor ?? Admin, memberId, groupId, default)).Token;

    /// <summary>An operator account that runs <paramref name="groupIds"/>, and the actor it signs in as.</summary>
    public async Task<Actor> OperatorAsync(string email, params Guid[] groupIds)
    {
        var users = database.Get<UserAdminService>();
        var userId = Succeeded(await users.CreateAsync(Admin, new UserInput(email, "Operator " + email, "operator-password-1", Roles.Operator), default)).Id;
        Succeeded(await users.SetGroupsAsync(Admin, userId, groupIds, default));
        return new Actor(userId, email, IsAdmin: false);
    }

    public static T Succeeded<T>(Application.Common.Result<T> result)
    {
        Assert.True(result.Succeeded, result.Failure?.Message);
        return result.Value!;
    }
}
