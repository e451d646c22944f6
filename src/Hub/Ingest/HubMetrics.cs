using System.Diagnostics.Metrics;

namespace FacilityHub.Hub.Ingest;

/// <summary>Counters the hub reports on <c>/api/stats</c> and as a .NET meter (dotnet-counters, OpenTelemetry).</summary>
public sealed class HubMetrics : IDisposable
{
    public const string MeterName = "FacilityHub.Hub";

    private readonly Meter _meter = new(MeterName);
    private long _received;
    private long _accepted;
    private long _rejected;
    private long _stored;
    private long _writeRetries;
    private long _storageRefused;
    private long _spilled;

    public HubMetrics()
    {
        _meter.CreateObservableCounter("fh.messages.received", () => Received);
        _meter.CreateObservableCounter("fh.messages.accepted", () => Accepted);
        _meter.CreateObservableCounter("fh.messages.rejected", () => Rejected);
        _meter.CreateObservableCounter("fh.points.stored", () => Stored);
        _meter.CreateObservableCounter("fh.influx.write_retries", () => WriteRetries);
        _meter.CreateObservableCounter("fh.points.spilled", () => Spilled);
    }

    public long Received => Interlocked.Read(ref _received);
    public long Accepted => Interlocked.Read(ref _accepted);
    public long Rejected => Interlocked.Read(ref _rejected);
    public long Stored => Interlocked.Read(ref _stored);
    public long WriteRetries => Interlocked.Read(ref _writeRetries);
    public long StorageRefused => Interlocked.Read(ref _storageRefused);
    public long Spilled => Interlocked.Read(ref _spilled);

    public void MessageReceived() => Interlocked.Increment(ref _received);
    public void MessageAccepted() => Interlocked.Increment(ref _accepted);
    public void MessageRejected() => Interlocked.Increment(ref _rejected);
    public void PointsStored(int count) => Interlocked.Add(ref _stored, count);
    public void WriteRetried() => Interlocked.Increment(ref _writeRetries);
    public void PointRefused() => Interlocked.Increment(ref _storageRefused);
    public void PointsSpilled(int count) => Interlocked.Add(ref _spilled, count);

    public void Dispose() => _meter.Dispose();
}
