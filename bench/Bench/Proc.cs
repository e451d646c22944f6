using System.Diagnostics;
using System.Globalization;

/// <summary>Figures of one process (or of the machine, pid 0) read from /proc.</summary>
internal static class Proc
{
    public static double CpuSeconds(int pid)
    {
        if (pid == 0)
        {
            return MachineBusySeconds(File.ReadAllLines("/proc/stat"), Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency);
        }
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // utime and stime are fields 14 and 15 of /proc/pid/stat (index 11 and 12 after the command name).
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>
    /// The whole machine's busy time so far: every core's time on the monotonic clock (<paramref name="nowSeconds"/>)
    /// less its idle and iowait, so only differences mean anything. /proc/stat's busy fields (user, system, …) are
    /// counted per tick, and a tickless kernel misses most of the short bursts of a few thousand messages a second: at
    /// 2,000 msg/s they gave 0.11 core busy while the processes' own counters summed to 0.50. Idle time is kept
    /// exactly; what the hypervisor steals counts as busy.
    /// </summary>
    private static double MachineBusySeconds(IEnumerable<string> procStat, double nowSeconds)
    {
        string[]? total = null;
        var cores = 0;
        foreach (var line in procStat)
        {
            if (line.StartsWith("cpu ", StringComparison.Ordinal))
            {
                total = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            }
            else if (line.Length > 3 && line.StartsWith("cpu", StringComparison.Ordinal) && char.IsAsciiDigit(line[3]))
            {
                cores++;
            }
        }
        if (total is null || cores == 0)
        {
            throw new InvalidDataException("/proc/stat has no cpu lines");
        }
        // Fields after "cpu": user nice system idle iowait irq softirq steal, in USER_HZ (100 a second).
        var idle = long.Parse(total[4], CultureInfo.InvariantCulture) + long.Parse(total[5], CultureInfo.InvariantCulture);
        return cores * nowSeconds - idle / 100.0;
    }

    public static double RssMb(int pid)
    {
        if (pid == 0)
        {
            return 0;
        }
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
            }
        }
        return double.NaN;
    }

    /// <summary>
    /// Voluntary + nonvoluntary context switches per thread (tid → count). The kernel counts them per thread only
    /// (/proc/pid/status shows the main thread's), so every task is read; for the machine (pid 0) it is /proc/stat's
    /// <c>ctxt</c>, under key 0.
    /// </summary>
    public static Dictionary<int, long> ContextSwitches(int pid)
    {
        var counts = new Dictionary<int, long>();
        if (pid == 0)
        {
            var line = File.ReadLines("/proc/stat").First(l => l.StartsWith("ctxt ", StringComparison.Ordinal));
            counts[0] = long.Parse(line[5..], CultureInfo.InvariantCulture);
            return counts;
        }
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                long sum = 0;
                foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        sum += long.Parse(line[(line.IndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture);
                    }
                }
                counts[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = sum;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The thread ended between the listing and the read: it is counted as gone.
            }
        }
        return counts;
    }

    /// <summary>
    /// Switches between two readings: threads seen in both count their difference, new threads all of theirs.
    /// A thread that ended in between takes its switches since the first reading with it (the kernel keeps no
    /// total), so the figure is a lower bound and <c>Gone</c> says how many threads it misses.
    /// </summary>
    public static (long Switches, int Gone) SwitchesBetween(Dictionary<int, long> before, Dictionary<int, long> after)
    {
        long switches = 0;
        foreach (var (tid, count) in after)
        {
            switches += count - before.GetValueOrDefault(tid);
        }
        return (switches, before.Keys.Count(tid => !after.ContainsKey(tid)));
    }
}

/// <summary>One process over a measured stretch: cores used, peak RSS, context switches (a lower bound, see <see cref="Proc.SwitchesBetween"/>).</summary>
internal sealed record ProcFigures(string Name, double Cores, double PeakRssMb, long Switches, int ThreadsGone)
{
    /// <summary><c>name=cores/rssMB/switches</c>: the CSV field bench/table.py reads.</summary>
    public string Csv() => FormattableString.Invariant($"{Name}={Cores:0.000}/{PeakRssMb:0}/{Switches}");

    /// <summary>Cores, RSS and context switches per message; the machine (pid 0) has no RSS of its own.</summary>
    public string Describe(long messages)
    {
        var what = Name == "machine" ? FormattableString.Invariant($"machine {Cores:0.00} cores busy") : FormattableString.Invariant($"{Name} {Cores:0.00} cores {PeakRssMb:0} MB");
        return messages > 0 ? what + FormattableString.Invariant($" {(double)Switches / messages:0.00} cs/msg") : what;
    }
}

/// <summary>CPU (utime + stime from /proc/pid/stat), context switches and peak RSS of named processes from construction on, RSS sampled every 100 ms.</summary>
internal sealed class ProcWatch : IDisposable
{
    private readonly IReadOnlyList<(string Name, int Pid)> _processes;
    private readonly double[] _cpu0;
    private readonly Dictionary<int, long>[] _switches0;
    private readonly double[] _peak;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;

    public ProcWatch(IReadOnlyList<(string Name, int Pid)> processes)
    {
        _processes = processes;
        _switches0 = processes.Select(p => Proc.ContextSwitches(p.Pid)).ToArray();
        _cpu0 = processes.Select(p => Proc.CpuSeconds(p.Pid)).ToArray();
        _peak = new double[processes.Count];
        _sampler = SampleAsync();
    }

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            for (var i = 0; i < _processes.Count; i++)
            {
                _peak[i] = Math.Max(_peak[i], Proc.RssMb(_processes[i].Pid));
            }
            try
            {
                await Task.Delay(100, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Cores, context switches and peak RSS of each process since the watch started; the watch keeps sampling.</summary>
    public IReadOnlyList<ProcFigures> Sample()
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        return _processes.Select((p, i) =>
        {
            var cores = (Proc.CpuSeconds(p.Pid) - _cpu0[i]) / seconds;
            var (switches, gone) = Proc.SwitchesBetween(_switches0[i], Proc.ContextSwitches(p.Pid));
            return new ProcFigures(p.Name, cores, Math.Max(_peak[i], Proc.RssMb(p.Pid)), switches, gone);
        }).ToArray();
    }

    /// <summary>
    /// Stops sampling RSS; returns <paramref name="figures"/> (an earlier <see cref="Sample"/>: CPU over a phase that
    /// ended before now) or, without them, a sample now, each with the peak RSS up to now.
    /// </summary>
    public IReadOnlyList<ProcFigures> Stop(IReadOnlyList<ProcFigures>? figures = null)
    {
        figures ??= Sample();
        _stop.Cancel();
        _sampler.Wait();
        return figures.Select((f, i) => f with { PeakRssMb = Math.Max(f.PeakRssMb, _peak[i]) }).ToArray();
    }

    public void Dispose()
    {
        // The sampler ends at once when cancelled; waiting for it means it never touches the disposed token.
        _stop.Cancel();
        _sampler.Wait();
        _stop.Dispose();
    }
}
