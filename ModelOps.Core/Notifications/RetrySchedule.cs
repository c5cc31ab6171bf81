namespace ModelOps.Core.Notifications;

/// <summary>Exponential backoff: after failed attempt n (1-based) wait base·2^(n−1), capped.</summary>
public static class RetrySchedule
{
    public static TimeSpan After(int failedAttempts, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);

        // The exponent is capped so the product stays finite; any cap allowed is reached long before 2^30.
        var factor = Math.Pow(2, Math.Min(failedAttempts - 1, 30));
        var delay = baseDelay.TotalMilliseconds * factor;
        return TimeSpan.FromMilliseconds(Math.Min(delay, maxDelay.TotalMilliseconds));
    }
}
