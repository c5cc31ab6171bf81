namespace ModelOps.Core.GameDays;

public static class GameDayStates
{
    public const string Running = "running";
    public const string Finished = "finished";

    /// <summary>The process stopped (or died) mid-drill; its fault was cleared and its canary rolled back.</summary>
    public const string Interrupted = "interrupted";
}
