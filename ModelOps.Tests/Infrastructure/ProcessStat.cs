using System.Globalization;

namespace ModelOps.Tests.Infrastructure;

/// <summary>
/// A process's line in <c>/proc/{pid}/stat</c> (Linux): its name, state and CPU time. Shared by the
/// child-process host (a stopped process's state) and the benchmarks (server, browser and database
/// backend CPU).
/// </summary>
public static class ProcessStat
{
    /// <summary>The state letter: R running, S sleeping, D disk wait, T stopped…</summary>
    public static char State(int pid) => Fields(Read(pid))[0][0];

    /// <summary>utime + stime in clock ticks (USER_HZ, 100 a second on Linux); null when the process is gone or not visible here.</summary>
    public static long? CpuTicks(int pid) => TryRead(pid) is { } stat ? CpuTicks(stat) : null;

    /// <summary>utime + stime, by pid, of every live process whose name starts with <paramref name="prefix"/>.</summary>
    public static Dictionary<int, long> CpuTicksByName(string prefix)
    {
        var ticks = new Dictionary<int, long>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && TryRead(pid) is { } stat && Name(stat).StartsWith(prefix, StringComparison.Ordinal))
            {
                ticks[pid] = CpuTicks(stat);
            }
        }

        return ticks;
    }

    private static long CpuTicks(string stat)
    {
        var fields = Fields(stat);
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    // The command name in parentheses may hold spaces and parentheses; the fields follow the last ')'.
    private static string[] Fields(string stat) => stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

    private static string Name(string stat) => stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];

    private static string StatPath(int pid) => $"/proc/{pid}/stat";

    private static string Read(int pid) => File.ReadAllText(StatPath(pid));

    private static string? TryRead(int pid)
    {
        try
        {
            return Read(pid);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // ended while being read
        }
    }
}
