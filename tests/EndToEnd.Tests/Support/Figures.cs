using System.Globalization;
using FacilityHub.TestSupport;

namespace FacilityHub.EndToEnd.Tests.Support;

/// <summary>Peak RSS of a process, sampled from /proc while a test runs.</summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Func<ServerProcess?> _process;

    /// <param name="process">The process to sample now (it changes when a test restarts it).</param>
    public RssSampler(Func<ServerProcess?> process)
    {
        _process = process;
        _loop = SampleAsync();
    }

    public double PeakMb { get; private set; }

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            if (_process() is { HasExited: false } process)
            {
                try
                {
                    PeakMb = Math.Max(PeakMb, process.ResidentBytes() / (1024.0 * 1024));
                }
                catch (Exception e) when (e is IOException or InvalidOperationException)
                {
                    // The process exited between the check and the read (a kill test).
                }
            }
            try
            {
                await Task.Delay(200, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}

/// <summary>
/// The figures of a fault test, written to the test output and appended to TestResults/reliability.txt
/// (docs/reliability.md quotes them).
/// </summary>
internal static class Figures
{
    public static void Record(string test, long committed, long stored, long lost, long duplicates, TimeSpan drain, double hubPeakRssMb, string extra = "")
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{test}: committed {committed}, stored {stored}, lost {lost}, duplicates {duplicates}, drain {drain.TotalSeconds:0.0} s, hub peak RSS {hubPeakRssMb:0} MB{(extra.Length > 0 ? ", " + extra : "")}");
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        var dir = Path.Combine(RepoPaths.Root, "TestResults");
        Directory.CreateDirectory(dir);
        File.AppendAllText(Path.Combine(dir, "reliability.txt"), $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm}Z {line}\n");
    }
}
