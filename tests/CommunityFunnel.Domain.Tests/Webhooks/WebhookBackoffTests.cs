using CommunityFunnel.Domain.Webhooks;

namespace CommunityFunnel.Domain.Tests.Webhooks;

public sealed class WebhookBackoffTests
{
    private static readonly DateTimeOffset OccurredAt = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset GiveUpAt = OccurredAt + WebhookBackoff.RetryWindow;

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(9, 2560)]
    [InlineData(10, 3600)]
    [InlineData(500, 3600)]
    public void DelayAfter_DoublesFromTenSeconds_UpToAnHour(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), WebhookBackoff.DelayAfter(failures));

    [Fact]
    public void DelayAfter_Throws_WhenNothingFailedYet() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => WebhookBackoff.DelayAfter(0));

    [Fact]
    public void NextAttempt_IsTheBackoffAfterTheFailure_WhenWellInsideTheWindow() =>
        Assert.Equal(OccurredAt.AddSeconds(5 + 40), WebhookBackoff.NextAttempt(3, OccurredAt.AddSeconds(5), GiveUpAt));

    [Fact]
    public void NextAttempt_WaitsAsLongAsTheReceiverAsked_WhenRetryAfterIsLongerThanTheBackoff() =>
        Assert.Equal(OccurredAt.AddSeconds(120), WebhookBackoff.NextAttempt(1, OccurredAt, GiveUpAt, TimeSpan.FromSeconds(120)));

    [Fact]
    public void NextAttempt_KeepsTheBackoff_WhenRetryAfterIsShorter() =>
        Assert.Equal(OccurredAt.AddSeconds(40), WebhookBackoff.NextAttempt(3, OccurredAt, GiveUpAt, TimeSpan.FromSeconds(1)));

    [Fact]
    public void NextAttempt_WaitsAtMostAnHour_WhenRetryAfterAsksForADay() =>
        Assert.Equal(OccurredAt.AddHours(1), WebhookBackoff.NextAttempt(1, OccurredAt, GiveUpAt, TimeSpan.FromDays(1)));

    [Fact]
    public void NextAttempt_FallsOnTheWindowsEnd_WhenTheBackoffWouldPassIt()
    {
        var failedAt = GiveUpAt.AddMinutes(-10);

        Assert.Equal(GiveUpAt, WebhookBackoff.NextAttempt(20, failedAt, GiveUpAt));
    }

    [Fact]
    public void NextAttempt_GivesUp_WhenTheFailureIsAtOrAfterTheWindowsEnd()
    {
        Assert.Null(WebhookBackoff.NextAttempt(20, GiveUpAt, GiveUpAt));
        Assert.Null(WebhookBackoff.NextAttempt(1, GiveUpAt.AddDays(1), GiveUpAt));
    }

    [Fact]
    public void Schedule_KeepsTryingForThreeDays_AndGivesUpAfterTheLastTry()
    {
        var at = OccurredAt;
        var tries = 1;
        for (var failures = 1; WebhookBackoff.NextAttempt(failures, at, GiveUpAt) is { } next; failures++)
        {
            Assert.True(next > at);
            at = next;
            tries++;
        }

        Assert.Equal(GiveUpAt, at); // the last try is on the window's end
        Assert.InRange(tries, 75, 85); // ~1.4 h of doubling, then hourly
    }

    [Fact]
    public void ReceiverPause_IsWhatABusyReceiverAskedFor_CappedAtAnHour()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), WebhookBackoff.ReceiverPause(answered: true, TimeSpan.FromSeconds(30)));
        Assert.Equal(WebhookBackoff.LongestDelay, WebhookBackoff.ReceiverPause(answered: true, TimeSpan.FromDays(2)));
    }

    [Fact]
    public void ReceiverPause_IsShort_WhenTheReceiverGaveNoAnswer() =>
        Assert.Equal(WebhookBackoff.UnreachablePause, WebhookBackoff.ReceiverPause(answered: false, retryAfter: null));

    [Fact]
    public void ReceiverPause_IsNone_WhenTheAnswerMayConcernThisEventAlone() =>
        Assert.Null(WebhookBackoff.ReceiverPause(answered: true, retryAfter: null));
}
