using System.Diagnostics;
using System.Globalization;

namespace EventSourcing.GrpcBench;

/// <summary>
/// CPU time (user and system) spent by some processes, by name, and by this one under a name of its own,
/// from a start until asked: what bounds a rate on a machine of few cores. Other processes are read from
/// <c>/proc/PID/stat</c>, in clock ticks (1/100 s).
/// </summary>
internal sealed class CpuClock
{
    private const double TicksPerSecond = 100;

    private readonly IReadOnlyDictionary<string, int> _pids;
    private readonly string _self;
    private readonly Dictionary<string, TimeSpan> _start;

    private CpuClock(IReadOnlyDictionary<string, int> pids, string self)
    {
        _pids = pids;
        _self = self;
        _start = Now();
    }

    /// <summary>Starts the clock of the processes <paramref name="pids"/> and of this process, named <paramref name="self"/>.</summary>
    public static CpuClock Start(IReadOnlyDictionary<string, int> pids, string self) => new(pids, self);

    /// <summary>Milliseconds of CPU per command since the start, by process, and their sum as "total".</summary>
    public IReadOnlyDictionary<string, double> MsPerCommand(int commands)
    {
        var now = Now();
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, start) in _start)
        {
            if (now.TryGetValue(name, out var end))
            {
                result[name] = (end - start).TotalMilliseconds / commands;
            }
        }

        result["total"] = result.Values.Sum();
        return result;
    }

    private Dictionary<string, TimeSpan> Now()
    {
        using var self = Process.GetCurrentProcess();
        var times = new Dictionary<string, TimeSpan>(StringComparer.Ordinal) { [_self] = self.TotalProcessorTime };
        foreach (var (name, pid) in _pids)
        {
            if (Of(pid) is { } time)
            {
                times[name] = time;
            }
        }

        return times;
    }

    private static TimeSpan? Of(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // The fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
