using FacilityHub.Dashboard.Live;
using FacilityHub.Dashboard.Account;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;

namespace FacilityHub.Dashboard.Components;

/// <summary>
/// A component that shows <see cref="LiveFeed"/> data: it re-renders when what it shows changes (at most
/// <see cref="MaxRendersPerSecond"/> times a second) and on a slow tick so that report ages and stale
/// marks move on even when nothing is pushed.
/// </summary>
public abstract class LiveComponent : ComponentBase, IDisposable
{
    public const int MaxRendersPerSecond = 4;

    private static readonly TimeSpan AgeTick = TimeSpan.FromSeconds(10);

    private RenderThrottle? _throttle;
    private ITimer? _tick;
    private bool _subscribed;

    [Inject]
    protected LiveFeed Feed { get; set; } = default!;

    [Inject]
    protected TimeProvider Time { get; set; } = default!;

    [Inject]
    private IOptions<DashboardOptions> DashboardOptions { get; set; } = default!;

    [Inject]
    private AuthenticationStateProvider Authentication { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    protected TimeSpan StaleAfter => DashboardOptions.Value.StaleAfter;

    protected DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>The changes this component shows; others do not re-render it.</summary>
    protected virtual LiveChange Shows => LiveChange.All;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected override void OnInitialized()
    {
        // Prerendering produces the first HTML and is then thrown away: only the interactive instance listens.
        if (!RendererInfo.IsInteractive)
        {
            return;
        }
        _throttle = new RenderThrottle(Time, TimeSpan.FromSeconds(1.0 / MaxRendersPerSecond), RenderSoon);
        Feed.Changed += OnFeedChanged;
        Authentication.AuthenticationStateChanged += OnAuthenticationStateChanged;
        _subscribed = true;
        _tick = Time.CreateTimer(static self => ((LiveComponent)self!).RequestRender(), this, AgeTick, AgeTick);
    }

    /// <summary>Ask for a render through the throttle; safe from any thread.</summary>
    protected void RequestRender() => _throttle?.Signal();

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }
        if (_subscribed)
        {
            Feed.Changed -= OnFeedChanged;
            Authentication.AuthenticationStateChanged -= OnAuthenticationStateChanged;
            _subscribed = false;
        }
        _tick?.Dispose();
        _throttle?.Dispose();
    }

    private void OnFeedChanged(LiveChange change)
    {
        if ((change & Shows) != 0)
        {
            RequestRender();
        }
    }

    // The circuit's periodic re-check found the session no longer backed (user disabled, role changed):
    // leave the live page at once rather than keep showing data to someone who may no longer see it.
    private void OnAuthenticationStateChanged(Task<AuthenticationState> state) =>
        _ = InvokeAsync(async () =>
        {
            if ((await state).User.Identity?.IsAuthenticated != true)
            {
                Navigation.NavigateTo(AccountSetup.SignInPath, forceLoad: true);
            }
        });

    private void RenderSoon() => _ = RenderAsync();

    private async Task RenderAsync()
    {
        try
        {
            await InvokeAsync(StateHasChanged);
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away between the change and the render.
        }
    }
}
