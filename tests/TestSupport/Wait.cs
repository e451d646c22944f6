namespace FacilityHub.TestSupport;

/// <summary>Waits on a condition with a deadline: tests never sleep to synchronise.</summary>
public static class Wait
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, CancellationToken ct = default) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout, ct);

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var limit = timeout ?? DefaultTimeout;
        if (!ct.CanBeCanceled)
        {
            ct = Xunit.TestContext.Current.CancellationToken;
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(limit);
        var delay = TimeSpan.FromMilliseconds(10);
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException and not GiveUpException)
            {
                last = e;
            }
            try
            {
                await Task.Delay(delay, deadline.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"Timed out after {limit} waiting for {what}" + (last is null ? "" : $" (last error: {last.Message})"));
            }
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }

    /// <summary>Waits for a value to appear (not null).</summary>
    public static async Task<T> ForAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null, CancellationToken ct = default)
        where T : class
    {
        T? value = null;
        await UntilAsync(async () => (value = await probe()) is not null, what, timeout, ct);
        return value!;
    }
}

/// <summary>Thrown by a condition that can never come true (the process it waits on has exited): ends the wait at once.</summary>
public sealed class GiveUpException(string message) : InvalidOperationException(message);
