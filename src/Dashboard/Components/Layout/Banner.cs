using FacilityHub.Dashboard.Live;

namespace FacilityHub.Dashboard.Components.Layout;

public enum BannerMessage
{
    None,

    /// <summary>ライブ接続が切れました — 再接続中…</summary>
    Lost,

    /// <summary>再接続しました, for <see cref="Banner.ReconnectedNoticeFor"/> after the link came back.</summary>
    Reconnected,
}

public static class Banner
{
    public static readonly TimeSpan ReconnectedNoticeFor = TimeSpan.FromSeconds(4);

    public static BannerMessage Decide(LiveConnectionState state, DateTimeOffset? reconnectedAt, DateTimeOffset now) =>
        state != LiveConnectionState.Connected ? BannerMessage.Lost
        : reconnectedAt is { } at && now - at < ReconnectedNoticeFor ? BannerMessage.Reconnected
        : BannerMessage.None;
}
