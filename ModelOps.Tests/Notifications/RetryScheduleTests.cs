using ModelOps.Core.Notifications;

namespace ModelOps.Tests.Notifications;

public sealed class RetryScheduleTests
{
    [Theory]
    [InlineData(1, 2_000)]
    [InlineData(2, 4_000)]
    [InlineData(4, 16_000)]
    [InlineData(10, 300_000)]
    [InlineData(1_000, 300_000)]
    public void RetrySchedule_AfterFailedAttempts_DoublesUpToTheCap(int failedAttempts, double expectedMs)
    {
        var delay = RetrySchedule.After(failedAttempts, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5));

        Assert.Equal(expectedMs, delay.TotalMilliseconds);
    }
}
