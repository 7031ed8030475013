using CommunityFunnel.Application.Access;
using CommunityFunnel.Application.Audit;
using CommunityFunnel.Application.Events;
using CommunityFunnel.Application.Members;
using CommunityFunnel.Application.Settings;
using CommunityFunnel.Application.Setup;
using CommunityFunnel.Application.SignIn;
using CommunityFunnel.Application.Webhooks;
using CommunityFunnel.Domain.Announcements;
using CommunityFunnel.Domain.Groups;
using CommunityFunnel.Domain.Media;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.Domain.Orders;
using CommunityFunnel.Domain.Payouts;
using CommunityFunnel.Domain.Pricing;
using CommunityFunnel.Domain.Rebates;
using CommunityFunnel.Domain.RedEnvelopes;
using CommunityFunnel.Domain.Referrals;
using CommunityFunnel.Domain.Sales;
using CommunityFunnel.Domain.Wallet;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CommunityFunnel.Application.Data;

/// <summary>
/// The app's one database. Add a migration with:
/// dotnet ef migrations add Name --project src/CommunityFunnel.Application --startup-project src/CommunityFunnel.Web --output-dir Data/Migrations
/// </summary>
public sealed class CommunityFunnelDbContext(DbContextOptions<CommunityFunnelDbContext> options)
    : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    public const string Schema = "funnel";

    public DbSet<Group> Groups => Set<Group>();
    public DbSet<RetiredJoinCode> RetiredJoinCodes => Set<RetiredJoinCode>();
    public DbSet<Member> Members => Set<Member>();
    public DbSet<GroupMembership> GroupMemberships => Set<GroupMembership>();
    public DbSet<MemberLink> MemberLinks => Set<MemberLink>();
    public DbSet<SignInCode> SignInCodes => Set<SignInCode>();
    public DbSet<RateCounter> RateCounters => Set<RateCounter>();
    public DbSet<PriceBand> PriceBands => Set<PriceBand>();
    public DbSet<SharingRule> SharingRules => Set<SharingRule>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<GroupProduct> GroupProducts => Set<GroupProduct>();
    public DbSet<ProductPicture> ProductPictures => Set<ProductPicture>();
    public DbSet<StoredImage> Images => Set<StoredImage>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderRefund> OrderRefunds => Set<OrderRefund>();
    public DbSet<GroupAssignment> GroupAssignments => Set<GroupAssignment>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<AppSettings> AppSettings => Set<AppSettings>();
    public DbSet<Channel> Channels => Set<Channel>();
    public DbSet<Post> Posts => Set<Post>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<DeliveryAttempt> DeliveryAttempts => Set<DeliveryAttempt>();
    public DbSet<FeedItem> FeedItems => Set<FeedItem>();
    public DbSet<SalesEvent> Events => Set<SalesEvent>();
    public DbSet<EventOccurrence> EventOccurrences => Set<EventOccurrence>();
    public DbSet<FlashSale> FlashSales => Set<FlashSale>();
    public DbSet<FlashSaleBuyer> FlashSaleBuyers => Set<FlashSaleBuyer>();
    public DbSet<FlashSaleTemplate> FlashSaleTemplates => Set<FlashSaleTemplate>();
    public DbSet<GroupBuy> GroupBuys => Set<GroupBuy>();
    public DbSet<SaleAnnouncementPlan> SaleAnnouncementPlans => Set<SaleAnnouncementPlan>();
    public DbSet<SalePost> SalePosts => Set<SalePost>();
    public DbSet<PhoneFinding> PhoneFindings => Set<PhoneFinding>();
    public DbSet<CompletedBackfill> CompletedBackfills => Set<CompletedBackfill>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<CommissionPlan> CommissionPlans => Set<CommissionPlan>();
    public DbSet<RebateEntry> RebateEntries => Set<RebateEntry>();
    public DbSet<Referral> Referrals => Set<Referral>();
    public DbSet<Domain.Promotions.PromotionDay> PromotionDays => Set<Domain.Promotions.PromotionDay>();
    public DbSet<Payout> Payouts => Set<Payout>();
    public DbSet<PayoutItem> PayoutItems => Set<PayoutItem>();
    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();
    public DbSet<RedEnvelopeRain> RedEnvelopeRains => Set<RedEnvelopeRain>();
    public DbSet<RedEnvelopeWave> RedEnvelopeWaves => Set<RedEnvelopeWave>();
    public DbSet<RedEnvelopePacket> RedEnvelopePackets => Set<RedEnvelopePacket>();
    public DbSet<CreditEntry> CreditEntries => Set<CreditEntry>();
    public DbSet<Coupon> Coupons => Set<Coupon>();

    /// <summary>ASP.NET Core Data Protection keys, shared by every app instance (cookies, antiforgery, secrets at rest).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    private readonly List<Domain.Common.IDomainEvent> derivedEvents = [];

    /// <summary>
    /// Saves, with the outbox rows of the events the saved entities raised, then hands those events to their handlers
    /// inside the same transaction (opening one when the caller has none), and saves again what the handlers changed,
    /// until no new events are raised. Each handler sees everything saved before it: a count it makes includes the
    /// payment that raised the event.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var raised = TakeRaisedEvents();
        if (raised.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        var dispatcher = this.GetService<DomainEventDispatcher>();
        await using var ownTransaction = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        var saved = 0;
        while (true)
        {
            foreach (var domainEvent in raised)
            {
                DomainEventDispatcher.QueueInOutbox(this, domainEvent);
            }

            saved += await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            if (raised.Count == 0)
            {
                break;
            }

            foreach (var domainEvent in raised)
            {
                await dispatcher.HandleAsync(this, domainEvent, cancellationToken);
            }

            raised = TakeRaisedEvents();
            if (raised.Count == 0 && !ChangeTracker.HasChanges())
            {
                break;
            }
        }

        if (ownTransaction is not null)
        {
            await ownTransaction.CommitAsync(cancellationToken);
        }

        return saved;
    }

    /// <summary>Events need the asynchronous save, which runs their handlers; nothing in the app saves them synchronously.</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        if (ChangeTracker.Entries<Domain.Common.EventSource>().Any(e => e.Entity.HasPendingEvents()))
        {
            throw new InvalidOperationException("Entities with domain events must be saved with SaveChangesAsync.");
        }

        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>
    /// An event a handler derives from another (an order paid by a referred member, with who referred them), so the
    /// facts are read once for every reaction; its handlers run after this round's, in the same transaction.
    /// </summary>
    internal void Raise(Domain.Common.IDomainEvent derived) => derivedEvents.Add(derived);

    private List<Domain.Common.IDomainEvent> TakeRaisedEvents()
    {
        List<Domain.Common.IDomainEvent> raised = [.. ChangeTracker.Entries<Domain.Common.EventSource>().SelectMany(e => e.Entity.TakeEvents()), .. derivedEvents];
        derivedEvents.Clear();
        return raised;
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasDefaultSchema(Schema); // Hangfire.PostgreSql keeps its own "hangfire" schema
        builder.HasPostgresExtension("pg_trgm"); // substring search on names and phones
        builder.ApplyConfigurationsFromAssembly(typeof(CommunityFunnelDbContext).Assembly);
        builder.HasDbFunction(() => Sharing.SharingStage.HeldStage(default)).HasName("hold_member_stage").HasSchema(Schema);
    }
}
