using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommunityFunnel.Application.RedEnvelopes;
using CommunityFunnel.Application.Wallet;
using CommunityFunnel.Domain.RedEnvelopes;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static CommunityFunnel.IntegrationTests.Infrastructure.TestData;

namespace CommunityFunnel.IntegrationTests.RedEnvelopes;

/// <summary>Red-envelope rains over the API contract: split once when saved, claimed once per member per wave, paid into the wallet.</summary>
public sealed class RedEnvelopeRainTests(PostgresFixture database) : DatabaseTest(database)
{
    private readonly TestData _data = new(database);

    private HttpClient Api => Database.App.ApiClient();

    private RedEnvelopeRains Rains => Database.Get<RedEnvelopeRains>();

    /// <summary>The services' (test) clock.</summary>
    private DateTimeOffset Now => Database.Clock.GetUtcNow();

    /// <summary>The clock of the app behind <see cref="Api"/>, which runs on real time.</summary>
    private static DateTimeOffset AppNow => DateTimeOffset.UtcNow;

    [Fact]
    public async Task ARain_GivesEachGroupEveryWave_SplitOnceWhenSaved_ExactToTheBudget()
    {
        var tea = await _data.GroupAsync("Tea lovers", "CNY");
        var matcha = await _data.GroupAsync("Matcha club", "JPY", "Asia/Tokyo");
        var startsAt = AppNow.AddMinutes(30);

        var created = await Api.PostAsJsonAsync("/api/v1/red-envelope-rains", new
        {
            groupIds = new[] { tea, matcha },
            startsAt,
            waves = new[] { new { budget = 88m, packets = 20 }, new { budget = 500m, packets = 50 }, new { budget = 66m, packets = 6 } },
        }, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(["id", "waves"], body.EnumerateObject().Select(p => p.Name));
        var waves = body.GetProperty("waves").EnumerateArray().ToList();
        Assert.All(waves, w => Assert.Equal(["id", "groupId", "opensAt"], w.EnumerateObject().Select(p => p.Name)));
        Assert.Equal(6, waves.Count);
        Assert.Equal([0, 0, 10, 10, 20, 20], waves.Select(w => (int)(w.GetProperty("opensAt").GetDateTimeOffset() - startsAt).TotalMinutes)); // the default offsets

        foreach (var wave in waves)
        {
            var first = await WaveAsync(wave.GetProperty("id").GetGuid());
            var again = await WaveAsync(wave.GetProperty("id").GetGuid());
            var split = first.GetProperty("split").EnumerateArray().Select(a => a.GetDecimal()).ToList();
            Assert.Equal(split, again.GetProperty("split").EnumerateArray().Select(a => a.GetDecimal()));
            Assert.Equal(first.GetProperty("budget").GetDecimal(), split.Sum());
            Assert.Equal(first.GetProperty("packets").GetInt32(), split.Count);
            var minorUnit = first.GetProperty("currency").GetString() == "JPY" ? 1m : 0.01m;
            Assert.All(split, amount => Assert.True(amount >= minorUnit && amount % minorUnit == 0, $"{amount}"));
            Assert.Equal(("Upcoming", 0, 0m), (first.GetProperty("state").GetString(), first.GetProperty("claimed").GetInt32(), first.GetProperty("claimedAmount").GetDecimal()));
        }
    }

    [Fact]
    public async Task Claims_PayEachMemberOnePacketAWave_AsCredit_UntilEveryPacketIsTaken()
    {
        var group = await _data.GroupAsync();
        var members = new List<Guid>();
        foreach (var name in new[] { "Ada", "Bo", "Cy", "Dee" })
        {
            members.Add(await _data.MemberAsync(group, name));
        }

        var wave = await OpenWaveAsync(group, budget: 10m, packets: 3, AppNow);

        var claimed = new List<decimal>();
        foreach (var member in members.Take(3))
        {
            var response = await ClaimAsync(wave, member);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal("CNY", body.GetProperty("currency").GetString());
            claimed.Add(body.GetProperty("amount").GetDecimal());
        }

        await AssertRefusedAsync(await ClaimAsync(wave, members[0]), HttpStatusCode.Conflict, "already_claimed");
        await AssertRefusedAsync(await ClaimAsync(wave, members[3]), HttpStatusCode.Conflict, "all_claimed");
        Assert.Equal(10m, claimed.Sum());
        var state = await WaveAsync(wave);
        Assert.Equal(("AllClaimed", 3, 10m), (state.GetProperty("state").GetString(), state.GetProperty("claimed").GetInt32(), state.GetProperty("claimedAmount").GetDecimal()));

        var wallet = await (await Api.GetAsync($"/api/v1/members/{members[0]}/wallet", Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var balance = Assert.Single(wallet.GetProperty("balances").EnumerateArray());
        Assert.Equal(("CNY", claimed[0]), (balance.GetProperty("currency").GetString(), balance.GetProperty("credit").GetDecimal()));
        var entry = Assert.Single(wallet.GetProperty("entries").EnumerateArray());
        Assert.Equal(("RainPacket", claimed[0], wave), (entry.GetProperty("kind").GetString(), entry.GetProperty("amount").GetDecimal(), entry.GetProperty("sourceId").GetGuid()));
        Assert.Empty(wallet.GetProperty("coupons").EnumerateArray());
    }

    [Fact]
    public async Task Claims_AreRefused_BeforeTheWaveOpens_AfterTheHour_AndForWhoJoinedAfterTheStart()
    {
        var group = await _data.GroupAsync();
        var ada = await _data.MemberAsync(group, "Ada");
        var rain = Succeeded(await Rains.CreateAsync(Admin, new RainInput([group], null, Now.AddMinutes(5), [new WaveTerms(10, 5m, 5)], new RainPayout(RainPayoutKind.Credit), false), Ct));
        var wave = rain.Waves[0].Id;

        Database.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal("not_open", (await Rains.ClaimAsync(Admin, wave, ada, Ct)).Failure?.Code);

        var late = await _data.MemberAsync(group, "Late Lu"); // joined 9 minutes after the rain started
        Database.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("not_eligible", (await Rains.ClaimAsync(Admin, wave, late, Ct)).Failure?.Code);
        Succeeded(await Rains.ClaimAsync(Admin, wave, ada, Ct));

        var bo = await _data.MemberAsync(group, "Bo");
        await using (var db = await Database.CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlAsync($"UPDATE funnel.group_memberships SET joined_at = {Now.AddMinutes(-30)} WHERE member_id = {bo}", Ct);
        }

        Database.Clock.Advance(TimeSpan.FromMinutes(50)); // 65 minutes after the start
        Assert.Equal("not_open", (await Rains.ClaimAsync(Admin, wave, bo, Ct)).Failure?.Code);
        Assert.Equal(WaveState.Over, Succeeded(await Rains.WaveAsync(Admin, wave, Ct)).State);
        await AssertNothingClaimedByAsync(wave, late, bo);
    }

    [Fact]
    public async Task RefusedClaims_AnswerWithTheirStatusAndCode_OverTheApi()
    {
        var group = await _data.GroupAsync();
        var ada = await _data.MemberAsync(group, "Ada");
        var later = Succeeded(await Rains.CreateAsync(Admin, new RainInput([group], null, AppNow.AddMinutes(30), [new WaveTerms(0, 5m, 5)], new RainPayout(RainPayoutKind.Credit), false), Ct));
        var open = await OpenWaveAsync(group, 5m, 5, AppNow);
        Database.Clock.SetUtcNow(AppNow.AddMinutes(1));
        var late = await _data.MemberAsync(group, "Late Lu");

        await AssertRefusedAsync(await ClaimAsync(later.Waves[0].Id, ada), (HttpStatusCode)422, "not_open");
        await AssertRefusedAsync(await ClaimAsync(open, late), (HttpStatusCode)422, "not_eligible", "memberId");
        await AssertRefusedAsync(await Api.PostAsJsonAsync($"/api/v1/red-envelope-waves/{open}/claims", new { }, Ct), HttpStatusCode.BadRequest, "missing_member", "memberId");
        Assert.Equal(HttpStatusCode.NotFound, (await ClaimAsync(Guid.NewGuid(), ada)).StatusCode);
        await AssertNothingClaimedByAsync(open, late);
    }

    [Fact]
    public async Task ACouponPayout_GivesACouponWorthThePacket_ValidForItsDays()
    {
        var group = await _data.GroupAsync();
        var ada = await _data.MemberAsync(group, "Ada");
        var rain = Succeeded(await Rains.CreateAsync(Admin,
            new RainInput([group], null, Now, [new WaveTerms(0, 30m, 2)], new RainPayout(RainPayoutKind.Coupon, CouponMinOrder: 99m, CouponValidDays: 3), false), Ct));

        var claimed = Succeeded(await Rains.ClaimAsync(Admin, rain.Waves[0].Id, ada, Ct));

        var wallet = Succeeded(await Database.Get<MemberWallets>().GetAsync(Admin, ada, Ct));
        Assert.Empty(wallet.Balances);
        var coupon = Assert.Single(wallet.Coupons);
        Assert.Equal((claimed.CouponId, claimed.Amount, (decimal?)99m, Now.AddDays(3), false), ((Guid?)coupon.Id, coupon.AmountOff, coupon.MinOrder, coupon.ExpiresAt, coupon.Expired));
    }

    [Fact]
    public async Task FiveHundredMembersAtOnce_OnTwoInstances_TakeEveryPacketOnce_AndNobodyTwice()
    {
        var group = await _data.GroupAsync(capacity: 1_000);
        var members = new List<Guid>();
        for (var i = 0; i < 500; i++)
        {
            members.Add(await _data.MemberAsync(group, $"Member {i}"));
        }

        var wave = await OpenWaveAsync(group, budget: 1_000m, packets: 100);
        await using var other = Database.AnotherInstance();
        var instances = new[] { Rains, other.GetRequiredService<RedEnvelopeRains>() };

        // Each member presses twice, on both instances.
        var claims = await Task.WhenAll(members.SelectMany((member, i) => new[] { instances[i % 2], instances[(i + 1) % 2] }
            .Select(rains => Task.Run(() => rains.ClaimAsync(Admin, wave, member, Ct)))));

        var won = claims.Where(c => c.Succeeded).Select(c => c.Value!).ToList();
        Assert.Equal(100, won.Count);
        Assert.Equal(1_000m, won.Sum(c => c.Amount));
        Assert.All(claims.Where(c => !c.Succeeded), c => Assert.Contains(c.Failure!.Code, new[] { "all_claimed", "already_claimed" }));
        await using var db = await Database.CreateDbContextAsync();
        var packets = await db.RedEnvelopePackets.AsNoTracking().Where(p => p.WaveId == wave).ToListAsync(Ct);
        Assert.All(packets, p => Assert.NotNull(p.ClaimedBy));
        Assert.Equal(100, packets.Select(p => p.ClaimedBy).Distinct().Count());
        var credits = await db.CreditEntries.AsNoTracking().Where(e => e.SourceId == wave).ToListAsync(Ct);
        Assert.Equal(packets.ToDictionary(p => p.ClaimedBy!.Value, p => p.Amount), credits.ToDictionary(e => e.MemberId, e => e.Amount));
    }

    [Theory]
    [InlineData("""{"budget": 0.49, "packets": 50}""", null, "budget_below_packets", "waves[0].budget")]
    [InlineData("""{"budget": 10, "packets": 0}""", null, "invalid_packet_count", "waves[0].packets")]
    [InlineData("""{"budget": 200000, "packets": 10001}""", null, "invalid_packet_count", "waves[0].packets")]
    [InlineData("""{"budget": 10.005, "packets": 5}""", null, "invalid_budget", "waves[0].budget")]
    [InlineData("""{"offsetMinutes": 60, "budget": 10, "packets": 5}""", null, "wave_outside_first_hour", "waves[0].offsetMinutes")]
    [InlineData("""{"offsetMinutes": -1, "budget": 10, "packets": 5}""", null, "wave_outside_first_hour", "waves[0].offsetMinutes")]
    [InlineData("""{"budget": 10, "packets": 5}""", "Cash", "unknown_payout_kind", "payout.kind")]
    public async Task BadWavesAndPayouts_AreRefusedWithASpecificError_AndNothingIsWritten(string wave, string? payoutKind, string code, string field)
    {
        var group = await _data.GroupAsync();
        using var body = JsonDocument.Parse($$$"""{"groupIds": ["{{{group}}}"], "startsAt": "{{{AppNow.AddMinutes(5):O}}}", "waves": [{{{wave}}}], "payout": {"kind": "{{{payoutKind ?? "Credit"}}}"}}""");

        var response = await Api.PostAsJsonAsync("/api/v1/red-envelope-rains", body.RootElement, Ct);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, code, field);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task SixWaves_AndTwoAtTheSameMinute_AreRefused_AndNothingIsWritten()
    {
        var group = await _data.GroupAsync();
        var six = Enumerable.Range(0, 6).Select(i => new WaveTerms(i * 5, 10m, 5)).ToList();

        var tooMany = await Rains.CreateAsync(Admin, new RainInput([group], null, Now, six, new RainPayout(RainPayoutKind.Credit), false), Ct);
        var sameMinute = await Rains.CreateAsync(Admin,
            new RainInput([group], null, Now, [new WaveTerms(10, 10m, 5), new WaveTerms(10, 10m, 5)], new RainPayout(RainPayoutKind.Credit), false), Ct);

        Assert.Equal("invalid_wave_count", tooMany.Failure?.Code);
        Assert.Equal("duplicate_wave_offset", sameMinute.Failure?.Code);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task TheCreditLedger_RefusesEditsAndDeletes()
    {
        var group = await _data.GroupAsync();
        var ada = await _data.MemberAsync(group, "Ada");
        Succeeded(await Rains.ClaimAsync(Admin, await OpenWaveAsync(group, 5m, 1), ada, Ct));
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync(Ct);

        foreach (var change in new[] { "UPDATE funnel.credit_entries SET amount = 1000", "DELETE FROM funnel.credit_entries" })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand(change, connection).ExecuteNonQueryAsync(Ct));
            Assert.Contains("credit_entries is append-only", refused.MessageText, StringComparison.Ordinal);
        }
    }

    /// <summary>A wave open from <paramref name="opensAt"/> (the services' now unless said): the API's app runs on real time.</summary>
    private async Task<Guid> OpenWaveAsync(Guid group, decimal budget, int packets, DateTimeOffset? opensAt = null) =>
        Succeeded(await Rains.CreateAsync(Admin,
            new RainInput([group], null, opensAt ?? Now, [new WaveTerms(0, budget, packets)], new RainPayout(RainPayoutKind.Credit), false), Ct)).Waves[0].Id;

    private async Task AssertNothingClaimedByAsync(Guid wave, params Guid[] members)
    {
        await using var db = await Database.CreateDbContextAsync();
        Assert.False(await db.RedEnvelopePackets.AnyAsync(p => p.WaveId == wave && members.Contains(p.ClaimedBy!.Value), Ct));
        Assert.False(await db.CreditEntries.AnyAsync(e => members.Contains(e.MemberId), Ct));
    }

    private Task<HttpResponseMessage> ClaimAsync(Guid wave, Guid member) =>
        Api.PostAsJsonAsync($"/api/v1/red-envelope-waves/{wave}/claims", new { memberId = member }, Ct);

    private async Task<JsonElement> WaveAsync(Guid wave) =>
        await (await Api.GetAsync($"/api/v1/red-envelope-waves/{wave}", Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? field = null)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(status == response.StatusCode, $"{response.StatusCode}: {problem}");
        Assert.Equal(code, problem.GetProperty("code").GetString());
        if (field is not null)
        {
            Assert.Contains(field, problem.ToString(), StringComparison.Ordinal);
        }
    }

    private async Task AssertNothingWrittenAsync()
    {
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal((0, 0, 0), (await db.RedEnvelopeRains.CountAsync(Ct), await db.RedEnvelopeWaves.CountAsync(Ct), await db.RedEnvelopePackets.CountAsync(Ct)));
    }
}
