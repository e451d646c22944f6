using FacilityHub.Hub.Storage;
using Microsoft.Extensions.Options;

namespace FacilityHub.Hub.Tests.Storage;

public sealed class StorageQueueTests
{
    private readonly StorageQueue _queue = new(Options.Create(new InfluxOptions { QueueCapacity = 100, BatchSize = 10 }));

    private static PendingPoint Point(int i) => new($"ap v={i}i {i}\n");

    private void Enqueue(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(_queue.EnqueueAsync(Point(i), TestContext.Current.CancellationToken).IsCompletedSuccessfully);
        }
    }

    [Fact]
    public void WaitForDepth_CompletesWithTheNthPointNotBefore()
    {
        var wait = _queue.WaitForDepthAsync(3);
        Enqueue(2);
        Assert.False(wait.IsCompleted);
        Enqueue(1);
        Assert.True(wait.IsCompletedSuccessfully);
        Assert.Equal(3, _queue.Depth);
    }

    [Fact]
    public void WaitForDepth_AlreadyQueued_CompletesAtOnce()
    {
        Enqueue(5);
        Assert.True(_queue.WaitForDepthAsync(5).IsCompletedSuccessfully);
    }

    [Fact]
    public void WaitForDepth_CountsOnlyPointsNotYetTaken()
    {
        Enqueue(4);
        Assert.True(_queue.TryTake(out var first));
        Assert.Equal("ap v=0i 0\n", first.Line);
        Assert.Equal(3, _queue.Depth);
        var wait = _queue.WaitForDepthAsync(4);
        Assert.False(wait.IsCompleted);
        Enqueue(1);
        Assert.True(wait.IsCompletedSuccessfully);
    }

    [Fact]
    public void StopWaiting_LaterPointsDoNotCompleteTheAbandonedWait()
    {
        var abandoned = _queue.WaitForDepthAsync(1);
        _queue.StopWaiting();
        Enqueue(1);
        Assert.False(abandoned.IsCompleted);
        Assert.True(_queue.WaitForDepthAsync(1).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Enqueue_WhenFull_WaitsForRoomAndKeepsEveryPointInOrder()
    {
        Enqueue(100);
        var blocked = _queue.EnqueueAsync(Point(100), TestContext.Current.CancellationToken);
        Assert.False(blocked.IsCompleted);
        Assert.True(_queue.TryTake(out _));
        await blocked.AsTask().WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(100, _queue.Depth);
        var lines = new List<string>();
        while (_queue.TryTake(out var p))
        {
            lines.Add(p.Line);
        }
        Assert.Equal(Enumerable.Range(1, 100).Select(i => Point(i).Line), lines);
        Assert.Equal(0, _queue.Depth);
    }
}
