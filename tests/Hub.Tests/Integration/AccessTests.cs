using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using FacilityHub.Contracts;
using FacilityHub.Contracts.Access;
using FacilityHub.Contracts.Live;
using FacilityHub.Hub.Tests.Support;
using FacilityHub.TestSupport;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace FacilityHub.Hub.Tests.Integration;

/// <summary>Sign-in and roles against the real hub process: every endpoint and the live stream, per role.</summary>
public sealed class AccessTests(SharedInflux influx)
{
    private const string Ap = "civic-3f-01";
    private const string Shelter = "shl-juo-es";
    private const string Station = "wx-juo";

    // Written out, not derived from Roles: this is the check on that mapping.
    private static readonly Dictionary<string, string[]> Expected = new()
    {
        [Roles.It] = [LiveViews.Aps, LiveViews.Agents],
        [Roles.Disaster] = [LiveViews.Shelters],
        [Roles.Weather] = [LiveViews.Weather],
        [Roles.Admin] = [LiveViews.Aps, LiveViews.Shelters, LiveViews.Weather, LiveViews.Agents],
        [Roles.Service] = [LiveViews.Aps, LiveViews.Shelters, LiveViews.Weather, LiveViews.Agents],
    };

    [Fact]
    public async Task RoleMatrix_EachRoleReadsExactlyItsViews_EverywhereItAsks()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var hub = await HubProcess.StartAsync(influx.Server);
        var ts = Payloads.NowMs(-30_000);
        await using (var agent = await TestPublisher.ConnectAsync(hub.MqttPort))
        {
            await agent.PublishAsync($"fh/v1/ap/civic-center/{Ap}", Payloads.Ap(ts, 1), ct);
            await agent.PublishAsync($"fh/v1/shelter/{Shelter}", Payloads.Shelter(ts, 2), ct);
            await agent.PublishAsync($"fh/v1/weather/{Station}", Payloads.Weather(ts, 3), ct);
            await agent.PublishAsync("fh/v1/agent/test-agent/status", Payloads.Status(ts), ct);
        }
        await Wait.UntilAsync(async () => (await hub.StatsAsync()).Stored == 4, "four points stored");
        await Wait.UntilAsync(async () => await hub.LatestAsync() is { Aps.Count: 1, Shelters.Count: 1, Weather.Count: 1, Agents.Count: 1 }, "the latest state");

        foreach (var role in Expected.Keys.Where(r => r != Roles.Service))
        {
            await hub.AddUserAsync($"user-{role}", role, $"password-of-{role}");
        }

        foreach (var (role, views) in Expected)
        {
            var token = role == Roles.Service ? hub.AccessToken : (await hub.TokenAsync($"user-{role}", $"password-of-{role}")).AccessToken;
            using var http = Client(hub, token);
            bool Sees(string view) => views.Contains(view);

            var latest = (await http.GetFromJsonAsync(HubRoutes.Latest, ContractsJsonContext.Default.LiveSnapshot, ct))!;
            Assert.Equal(
                (Sees(LiveViews.Aps) ? 1 : 0, Sees(LiveViews.Shelters) ? 1 : 0, Sees(LiveViews.Weather) ? 1 : 0, Sees(LiveViews.Agents) ? 1 : 0),
                (latest.Aps.Count, latest.Shelters.Count, latest.Weather.Count, latest.Agents.Count));

            foreach (var (id, view) in new[] { (Ap, LiveViews.Aps), (Shelter, LiveViews.Shelters), (Station, LiveViews.Weather) })
            {
                using var history = await http.GetAsync($"{HubRoutes.History}?id={id}", ct);
                Assert.True((Sees(view) ? HttpStatusCode.OK : HttpStatusCode.Forbidden) == history.StatusCode, $"{role} history of {id}: {history.StatusCode}");
                if (!Sees(view))
                {
                    var problem = await history.Content.ReadAsStringAsync(ct);
                    Assert.Contains($"role '{role}' may not read", problem, StringComparison.Ordinal);
                    Assert.Contains("roles that may: ", problem, StringComparison.Ordinal);
                }
            }

            var operations = role is Roles.It or Roles.Admin or Roles.Service ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
            foreach (var route in new[] { HubRoutes.Agents, HubRoutes.Rejected, HubRoutes.Stats })
            {
                using var response = await http.GetAsync(route, ct);
                Assert.True(operations == response.StatusCode, $"{role} {route}: {response.StatusCode}");
            }
            using (var sites = await http.GetAsync(HubRoutes.Sites, ct))
            {
                Assert.Equal(HttpStatusCode.OK, sites.StatusCode);
            }

            await using var live = await Connect(hub, token);
            foreach (var view in LiveViews.All)
            {
                var refused = await Record.ExceptionAsync(() => live.InvokeAsync(HubRoutes.JoinView, view, ct));
                if (Sees(view))
                {
                    Assert.Null(refused);
                }
                else
                {
                    Assert.Contains($"role '{role}' may not see view '{view}'", Assert.IsType<HubException>(refused).Message, StringComparison.Ordinal);
                }
            }
        }
    }

    [Fact]
    public async Task Anonymous_401EverywhereButHealthz()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var hub = await HubProcess.StartAsync(influx.Server);
        using var anonymous = new HttpClient { BaseAddress = hub.BaseUrl };
        using var forged = Client(hub, "CfDJ8-not-a-token");

        foreach (var client in new[] { anonymous, forged })
        {
            foreach (var route in new[] { HubRoutes.Sites, HubRoutes.Latest, $"{HubRoutes.History}?id={Ap}", HubRoutes.Agents, HubRoutes.Rejected, HubRoutes.Stats, $"{HubRoutes.Users}/{HubProcess.ServiceUser}", "/api/unknown" })
            {
                using var response = await client.GetAsync(route, ct);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{route}: {response.StatusCode}");
                Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            }
            using var verify = await client.PostAsJsonAsync(HubRoutes.Verify, new VerifyRequest("a", "b", "c"), ContractsJsonContext.Default.VerifyRequest, ct);
            Assert.Equal(HttpStatusCode.Unauthorized, verify.StatusCode);
        }
        using (var health = await anonymous.GetAsync(HubRoutes.Health, ct))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        await using var live = new HubConnectionBuilder().WithUrl(new Uri(hub.BaseUrl, HubRoutes.LiveHub)).Build();
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => live.StartAsync(ct));
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task DisableWithTheCli_RunningHub_ExistingTokenAndLiveConnectionRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var hub = await HubProcess.StartAsync(influx.Server);
        await hub.AddUserAsync("it-staff", Roles.It, "it-staff-password");
        var token = (await hub.TokenAsync("it-staff", "it-staff-password")).AccessToken;
        using var http = Client(hub, token);
        await using var live = await LiveListener.ConnectAsync(hub.BaseUrl, token, [LiveViews.Aps]);
        using (var before = await http.GetAsync(HubRoutes.Latest, ct))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var disable = await HubCommand.RunAsync(["users", "disable", "it-staff", "--users-file", hub.UsersFile], ct: ct);
        Assert.True(disable.ExitCode == 0, disable.Stderr);

        await Wait.UntilAsync(async () =>
        {
            using var response = await http.GetAsync(HubRoutes.Latest, ct);
            return response.StatusCode == HttpStatusCode.Unauthorized;
        }, "the disabled user's token to be refused", TimeSpan.FromSeconds(10));
        await Wait.UntilAsync(() => live.Connection.State == HubConnectionState.Disconnected, "the disabled user's live connection to close", TimeSpan.FromSeconds(10));
        var signIn = await Assert.ThrowsAsync<HttpRequestException>(() => hub.TokenAsync("it-staff", "it-staff-password"));
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
    }

    [Fact]
    public async Task WrongPasswords_SixthAttemptLockedWith429AndRetryAfter_SameAnswerForAnUnknownName()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var hub = await HubProcess.StartAsync(influx.Server);
        await hub.AddUserAsync("weather-desk", Roles.Weather, "weather-desk-password");
        using var anonymous = new HttpClient { BaseAddress = hub.BaseUrl };

        var answers = new List<(HttpStatusCode Status, string Body)>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await SignInAsync(anonymous, "weather-desk", "wrong-password", ct));
        }
        var unknown = await SignInAsync(anonymous, "nobody-here", "wrong-password", ct);
        using var sixth = await anonymous.PostAsJsonAsync(HubRoutes.Token, new TokenRequest("weather-desk", "weather-desk-password"), ContractsJsonContext.Default.TokenRequest, ct);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a.Status));
        Assert.All(answers, a => Assert.Contains("invalid user or password", a.Body, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.Status);
        Assert.Contains("invalid user or password", unknown.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        var retryAfter = sixth.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(15));
        await hub.Process.WaitForLineAsync(l => l.Contains("Sign-in refused: weather-desk from 127.0.0.1 (token): wrong password", StringComparison.Ordinal), "the failure logged");

        using (var malformed = await anonymous.PostAsync(HubRoutes.Token, new StringContent("{\"user\":", System.Text.Encoding.UTF8, "application/json"), ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        }
    }

    [Fact]
    public async Task Token_SurvivesHubRestart()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var hub = await HubProcess.StartAsync(influx.Server);
        await hub.AddUserAsync("hq", Roles.Disaster, "hq-password-1");
        var token = (await hub.TokenAsync("hq", "hq-password-1")).AccessToken;

        await hub.RestartAsync();

        using var http = Client(hub, token);
        using var response = await http.GetAsync(HubRoutes.Latest, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task VerifyAndUserLookup_OnlyForTheirRoles_VerifyCountsTheBrowsersAddress()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var hub = await HubProcess.StartAsync(influx.Server, null, "--Access:MaxFailuresPerClient", "3");
        await hub.AddUserAsync("person", Roles.It, "person-password");
        await hub.AddUserAsync("boss", Roles.Admin, "boss-password-1");
        using var person = Client(hub, (await hub.TokenAsync("person", "person-password")).AccessToken);
        using var boss = Client(hub, (await hub.TokenAsync("boss", "boss-password-1")).AccessToken);

        Assert.Equal(HttpStatusCode.Forbidden, (await VerifyAsync(person, "person", "person-password", "203.0.113.1", ct)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await VerifyAsync(boss, "person", "person-password", "203.0.113.1", ct)).Status);
        var ok = await VerifyAsync(hub.Http, "person", "person-password", "203.0.113.1", ct);
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal(new UserInfo("person", "person", Roles.It, false), ok.User);

        // One browser guessing: its address is locked out, other browsers behind the same dashboard are not.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await VerifyAsync(hub.Http, $"guess-{i}", "wrong-password", "203.0.113.66", ct)).Status);
        }
        var locked = await VerifyAsync(hub.Http, "person", "person-password", "203.0.113.66", ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.Status);
        Assert.NotNull(locked.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(hub.Http, "person", "person-password", "203.0.113.2", ct)).Status);

        Assert.Equal(HttpStatusCode.OK, (await hub.Http.GetAsync($"{HubRoutes.Users}/person", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await boss.GetAsync($"{HubRoutes.Users}/person", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await person.GetAsync($"{HubRoutes.Users}/person", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Http.GetAsync($"{HubRoutes.Users}/ghost", ct)).StatusCode);
    }

    private static HttpClient Client(HubProcess hub, string token)
    {
        var http = new HttpClient { BaseAddress = hub.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<HubConnection> Connect(HubProcess hub, string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(hub.BaseUrl, HubRoutes.LiveHub), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        await connection.StartAsync();
        return connection;
    }

    private static async Task<(HttpStatusCode Status, string Body)> SignInAsync(HttpClient http, string user, string password, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(HubRoutes.Token, new TokenRequest(user, password), ContractsJsonContext.Default.TokenRequest, ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    private static async Task<(HttpStatusCode Status, UserInfo? User, TimeSpan? RetryAfter)> VerifyAsync(
        HttpClient http, string user, string password, string clientAddress, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(HubRoutes.Verify, new VerifyRequest(user, password, clientAddress), ContractsJsonContext.Default.VerifyRequest, ct);
        var info = response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.UserInfo, ct) : null;
        return (response.StatusCode, info, response.Headers.RetryAfter?.Delta);
    }
}
