using System.Security.Cryptography;
using System.Text;
using CommunityFunnel.Application;
using CommunityFunnel.Application.Portal;
using CommunityFunnel.Application.SignIn;
using CommunityFunnel.Application.SignIn.Sms;
using CommunityFunnel.Domain.Members;
using CommunityFunnel.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommunityFunnel.IntegrationTests.SignIn;

/// <summary>One-time codes against real PostgreSQL and the loopback Twilio (the services' provider) or Tencent Cloud.</summary>
public sealed class SignInCodeTests(PostgresFixture database) : DatabaseTest(database)
{
    private const string Phone = "13800138000";
    private const string SentTo = "+8613800138000"; // the number as stored and texted: E.164, read in the group's country (CN)
    private const string Address = "203.0.113.9";
    private readonly TestData _data = new(database);

    private MemberSignIn SignIn => Database.Get<MemberSignIn>();

    [Fact]
    public async Task SendCode_TextsSixDigits_AndKeepsNeitherTheCodeNorThePhoneInTheClear()
    {
        var ada = await _data.MemberAsync(await _data.GroupAsync(), "Ada", phone: Phone);

        var sent = TestData.Succeeded(await SignIn.SendCodeAsync("138 0013 8000", "CN", SignInIntent.SignInOnly, Address, Ct));

        var message = Assert.Single(Database.Sms.Messages);
        Assert.Equal(("Twilio", SentTo), (message.Provider, message.To));
        Assert.Matches("^[0-9]{6}$", message.Code);
        Assert.Equal((Database.Clock.GetUtcNow().AddSeconds(60), Database.Clock.GetUtcNow().AddMinutes(10)), (sent.NextSendAt, sent.ExpiresAt));
        await using var db = await Database.CreateDbContextAsync();
        var row = await db.SignInCodes.SingleAsync(Ct);
        Assert.Equal(ada, row.MemberId);
        Assert.Equal(32, row.CodeHash.Length);
        Assert.False(row.CodeHash.SequenceEqual(SHA256.HashData(Encoding.UTF8.GetBytes(message.Code)))); // salted and slow, not a plain hash
        Assert.DoesNotContain(Phone, Encoding.UTF8.GetString(row.PhoneHash), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_RefusesAWrongCode_SignsInWithTheRightOne_ThenSaysItWasUsed()
    {
        var ada = await _data.MemberAsync(await _data.GroupAsync(), "Ada", phone: Phone);
        await SignIn.SendCodeAsync(Phone, "CN", SignInIntent.SignInOnly, Address, Ct);
        var code = Database.Sms.LastCodeTo(SentTo);

        Assert.Equal(("wrong_code", "code"), FailureOf(await SignIn.VerifyAsync(Phone, "CN", Other(code), Address, Ct)));
        Assert.Equal(("invalid_code", "code"), FailureOf(await SignIn.VerifyAsync(Phone, "CN", "12ab", Address, Ct)));
        Assert.Equal(MemberScope.AllGroupsOf(ada), TestData.Succeeded(await SignIn.VerifyAsync(Phone, "CN", code, Address, Ct)));
        Assert.Equal(("code_used", "code"), FailureOf(await SignIn.VerifyAsync(Phone, "CN", code, Address, Ct)));
    }

    [Fact]
    public async Task Verify_RefusesACodeTenMinutesOld()
    {
        await _data.MemberAsync(await _data.GroupAsync(), "Ada", phone: Phone);
        await SignIn.SendCodeAsync(Phone, "CN", SignInIntent.SignInOnly, Address, Ct);
        Database.Clock.Advance(SignInCode.Lifetime);

        Assert.Equal(("code_expired", "code"), FailureOf(await SignIn.VerifyAsync(Phone, "CN", Database.Sms.LastCodeTo(SentTo), Address, Ct)));
    }

    [Fact]
    public async Task Verify_RefusesTheSixthAttempt_EvenWithTheRightCode()
    {
        await _data.MemberAsync(await _data.GroupAsync(), "Ada", phone: Phone);
        await SignIn.SendCodeAsync(Phone, "CN", SignInIntent.SignInOnly, Address, Ct);
        var code = Database.Sms.LastCodeTo(SentTo);

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            Assert.Equal("wrong_code", FailureOf(await SignIn.VerifyAsync(Phone, "CN", Other(code), Address, Ct)).Code);
        }

        Assert.Equal("wrong_code_last", FailureOf(await SignIn.VerifyAsync(Phone, "CN", Other(code), Address, Ct)).Code);
        Assert.Equal(("too_many_attempts", "code"), FailureOf(await SignIn.VerifyAsync(Phone, "CN", code, Address, Ct)));
    }

    [Fact]
    public async Task SendCode_RefusesANewCodeWithinSixtySeconds_ThenReplacesTheOldOne()
    {
        await _data.MemberAsync(await _data.GroupAsync(), "Ada", phone: Phone);
        await SignIn.SendCodeAsync(Phone, "CN", SignInIntent.SignInOnly, Address, Ct);
        var first = Database.Sms.LastCodeTo(SentTo);
        Database.Clock.Advance(TimeSpan.FromSeconds(59));

        Assert.Equal(("resend_too_soon", "phone"), FailureOf(await SignIn.SendCodeAsync(Phone, "CN", SignInIntent.SignInOnly, Address, Ct)));
        Assert.Single(Database.Sms.Messages);

        Database.Clock.Advance(TimeSpan.FromSeconds(1));
        TestData.Succeeded(await SignIn.SendCodeAsync(Phone, "CN", SignInIntent.SignInOnly, Address, Ct));
        var second = Database.Sms.LastCodeTo(SentTo);
        Assert.Equal(2, Database.Sms.Messages.Count);
        if (first != second)
        {
            Assert.Equal("wrong_code", FailureOf(await SignIn.VerifyAsync(Phone, "CN", first, Address, Ct)).Code);
        }

        Assert.True((await SignIn.VerifyAsync(Phone, "CN", second, Address, Ct)).Succeeded);
    }

    [Fact]
    public async Task SendCode_AllowsFiveCodesPerPhoneAnHour()
    {
        await _data.MemberAsync(await _data.GroupAsync(), "Ada", phone: Phone);
        for (var i = 0; i < 5; i++)
        {
            TestData.Succeeded(await SignIn.SendCodeAsync(Phone, "CN", SignInIntent.SignInOnly, $"203.0.113.{i}", Ct));
            Database.Clock.Advance(TimeSpan.FromSeconds(61));
        }

        Assert.Equal(("too_many_codes", "phone"), FailureOf(await SignIn.SendCodeAsync(Phone, "CN", SignInIntent.SignInOnly, Address, Ct)));
        Assert.Equal(5, Database.Sms.Messages.Count);

        Database.Clock.Advance(SignInLimits.Window);
        Assert.True((await SignIn.SendCodeAsync(Phone, "CN", SignInIntent.SignInOnly, Address, Ct)).Succeeded);
    }

    [Fact]
    public async Task CodesAndChecks_AreLimitedPerClientAddress_AcrossPhones()
    {
        var limits = new SignInLimits();
        for (var i = 0; i < limits.CodesPerAddressPerHour; i++)
        {
            TestData.Succeeded(await SignIn.SendCodeAsync($"1390000{i:D4}", "CN", SignInIntent.SignInOnly, Address, Ct));
        }

        Assert.Equal("too_many_requests", FailureOf(await SignIn.SendCodeAsync("13911112222", "CN", SignInIntent.SignInOnly, Address, Ct)).Code);
        Assert.True((await SignIn.SendCodeAsync("13911112222", "CN", SignInIntent.SignInOnly, "198.51.100.1", Ct)).Succeeded); // another address

        for (var i = 0; i < limits.ChecksPerAddressPerHour; i++)
        {
            Assert.NotEqual("too_many_requests", FailureOf(await SignIn.VerifyAsync("13700000000", "CN", "123456", Address, Ct)).Code);
        }

        Assert.Equal("too_many_requests", FailureOf(await SignIn.VerifyAsync("13700000000", "CN", "123456", Address, Ct)).Code);
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(3, await db.RateCounters.CountAsync(Ct)); // one counter per address and action, shared by every instance
    }

    [Fact]
    public async Task SendCode_ToAnUnknownPhone_AnswersTheSame_AndSendsNothing()
    {
        await _data.MemberAsync(await _data.GroupAsync(), "Ada", phone: Phone);

        var known = TestData.Succeeded(await SignIn.SendCodeAsync(Phone, "CN", SignInIntent.SignInOnly, Address, Ct));
        var unknown = TestData.Succeeded(await SignIn.SendCodeAsync("13999999999", "CN", SignInIntent.SignInOnly, Address, Ct));

        Assert.Equal((known.NextSendAt, known.ExpiresAt), (unknown.NextSendAt, unknown.ExpiresAt));
        Assert.Equal(SentTo, Assert.Single(Database.Sms.Messages).To);
        Assert.Equal("resend_too_soon", FailureOf(await SignIn.SendCodeAsync("13999999999", "CN", SignInIntent.SignInOnly, Address, Ct)).Code);
        Assert.Equal("wrong_code", FailureOf(await SignIn.VerifyAsync("13999999999", "CN", "123456", Address, Ct)).Code);
    }

    [Fact]
    public async Task Verify_TheSameCodeManyTimesAtOnce_OpensExactlyOneSession()
    {
        await _data.MemberAsync(await _data.GroupAsync(), "Ada", phone: Phone);
        await SignIn.SendCodeAsync(Phone, "CN", SignInIntent.SignInOnly, Address, Ct);
        var code = Database.Sms.LastCodeTo(SentTo);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => SignIn.VerifyAsync(Phone, "CN", code, Address, Ct), Ct)));

        Assert.Equal(1, answers.Count(a => a.Succeeded));
        Assert.All(answers.Where(a => !a.Succeeded), a => Assert.Contains(a.Failure!.Code, new[] { "code_used", "too_many_attempts" }));
    }

    [Fact]
    public async Task SendCode_WhenTheProviderRefuses_SaysItCouldNotSend_AndCostsNoWaitNorBudget()
    {
        await _data.MemberAsync(await _data.GroupAsync(), "Ada", phone: Phone);
        Database.Sms.RefuseNext();

        Assert.Equal(("sms_failed", "phone"), FailureOf(await SignIn.SendCodeAsync(Phone, "CN", SignInIntent.SignInOnly, Address, Ct)));
        Assert.Contains(Database.Logs.Messages, m => m.Contains("error code 21211", StringComparison.Ordinal));
        Assert.DoesNotContain(Database.Logs.Messages, m => m.Contains(Phone, StringComparison.Ordinal));

        TestData.Succeeded(await SignIn.SendCodeAsync(Phone, "CN", SignInIntent.SignInOnly, Address, Ct)); // at once: no 60-second wait
        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(1, (await db.SignInCodes.SingleAsync(Ct)).SendsInWindow);
        Assert.True((await SignIn.VerifyAsync(Phone, "CN", Database.Sms.LastCodeTo(SentTo), Address, Ct)).Succeeded);
    }

    [Theory]
    [InlineData(SmsOptions.TwilioProvider, "error code 20003")]
    [InlineData(SmsOptions.TencentProvider, "AuthFailure.SignatureFailure")]
    public async Task Providers_RefuseAWrongSecret_WhichIsReportedButNeverLogged(string provider, string refusal)
    {
        await _data.MemberAsync(await _data.GroupAsync(), "Ada", phone: Phone);
        var logs = new CapturingLoggerProvider();
        await using var services = Services(Database.Sms.Settings(provider, wrongSecret: true), logs);

        var sent = await services.GetRequiredService<MemberSignIn>().SendCodeAsync(Phone, "CN", SignInIntent.SignInOnly, Address, Ct);

        Assert.Equal("sms_failed", sent.Failure!.Code);
        Assert.Empty(Database.Sms.Messages);
        var logged = string.Join('\n', logs.Messages);
        Assert.Contains(refusal, logged, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-", logged, StringComparison.Ordinal);
        Assert.DoesNotContain(Phone, logged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tencent_SendsTheCodeAsTemplateParameters_WithAValidSignature()
    {
        var ada = await _data.MemberAsync(await _data.GroupAsync(), "Ada", phone: "+8613800138000");
        await using var services = Services(Database.Sms.Settings(SmsOptions.TencentProvider), new CapturingLoggerProvider());
        var signIn = services.GetRequiredService<MemberSignIn>();

        TestData.Succeeded(await signIn.SendCodeAsync("+86 138 0013 8000", "CN", SignInIntent.SignInOnly, Address, Ct));

        var message = Assert.Single(Database.Sms.Messages);
        Assert.Equal(("Tencent", "+8613800138000", $"{message.Code} 10"), (message.Provider, message.To, message.Text));
        Assert.Equal(MemberScope.AllGroupsOf(ada), TestData.Succeeded(await signIn.VerifyAsync("+8613800138000", "CN", message.Code, Address, Ct)));
    }

    /// <summary>The production registration with another SMS configuration, on the real clock (Tencent checks timestamps).</summary>
    [Fact]
    public async Task Housekeeping_ForgetsCodesAndCountersOnlyOnceNobodyCanUseThem()
    {
        await _data.MemberAsync(await _data.GroupAsync(), "Ada", phone: Phone);
        await _data.MemberAsync(await _data.GroupAsync(), "Bo", phone: "13900139000");
        await SignIn.SendCodeAsync(Phone, "CN", SignInIntent.SignInOnly, Address, Ct);
        var housekeeping = Database.Get<SignInHousekeeping>();

        Database.Clock.Advance(TimeSpan.FromHours(2)); // expired, but within a day: kept
        Assert.Equal(0, await housekeeping.PurgeAsync(Ct));
        Database.Clock.Advance(SignInHousekeeping.Grace);
        await SignIn.SendCodeAsync("13900139000", "CN", SignInIntent.SignInOnly, "198.51.100.7", Ct); // fresh: kept
        var purged = await housekeeping.PurgeAsync(Ct);

        await using var db = await Database.CreateDbContextAsync();
        Assert.Equal(2, purged); // Ada's code and her address's counter
        Assert.Equal(1, await db.SignInCodes.CountAsync(Ct));
        Assert.Equal(["sign-in-code:198.51.100.7"], await db.RateCounters.Select(c => c.Key).ToListAsync(Ct));
        TestData.Succeeded(await SignIn.VerifyAsync("13900139000", "CN", Database.Sms.LastCodeTo("+8613900139000"), "198.51.100.7", Ct));
    }

    private ServiceProvider Services(IReadOnlyDictionary<string, string?> settings, ILoggerProvider logs) =>
        new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(logs))
            .AddCommunityFunnelApplication(Database.ConnectionString)
            .Configure<SmsOptions>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(SmsOptions.Section))
            .BuildServiceProvider();

    private static (string Code, string? Field) FailureOf<T>(Application.Common.Result<T> result) =>
        (result.Failure!.Code, result.Failure.Violations[0].Field);

    private static string Other(string code) => code == "000000" ? "111111" : "000000";
}
