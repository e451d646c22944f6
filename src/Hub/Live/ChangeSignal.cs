namespace FacilityHub.Hub.Live;

/// <summary>
/// Wakes the one waiter when something changed since it last woke. Only the first change after a wake-up
/// completes a task; the thousands that follow before the waiter runs cost one volatile read each.
/// </summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pending;

    public void Set()
    {
        if (Volatile.Read(ref _pending) == 0 && Interlocked.Exchange(ref _pending, 1) == 0)
        {
            Volatile.Read(ref _changed).TrySetResult();
        }
    }

    /// <summary>Completes once something changed after the previous wait returned (single waiter).</summary>
    public async Task WaitAsync(CancellationToken ct)
    {
        var changed = Volatile.Read(ref _changed);
        if (Volatile.Read(ref _pending) == 0)
        {
            await changed.Task.WaitAsync(ct);
        }
        // The next Set must find a fresh task, so replace it before clearing the flag. A change that lands in
        // between is taken by the caller's next read of the state, which comes after this returns.
        Volatile.Write(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        Volatile.Write(ref _pending, 0);
    }
}
