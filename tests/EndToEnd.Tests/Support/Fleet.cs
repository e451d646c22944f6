using System.Globalization;
using System.Text.Json;
using FacilityHub.TestSupport;
using Microsoft.Data.Sqlite;

namespace FacilityHub.EndToEnd.Tests.Support;

/// <summary>The real edge agent process with its SQLite outbox in a temp directory, and what the tests read back.</summary>
internal sealed class EdgeAgent : IAsyncDisposable
{
    private readonly List<string> _args;

    private EdgeAgent(string agentId, string outboxPath, List<string> args)
    {
        AgentId = agentId;
        OutboxPath = outboxPath;
        _args = args;
    }

    public string AgentId { get; }

    public string OutboxPath { get; }

    public ServerProcess? Process { get; private set; }

    public static EdgeAgent Create(TempDir dir, string agentId, int mqttPort, params string[] extraArgs)
    {
        var outbox = dir.Combine($"{agentId}-outbox.db");
        var args = new List<string>
        {
            "--Mqtt:Port", mqttPort.ToString(CultureInfo.InvariantCulture),
            "--Agent:Id", agentId,
            "--Sites:RegistryPath", RepoPaths.SampleRegistry,
            "--Outbox:Path", outbox,
            "--Outbox:AckTimeout", "00:00:05",
        };
        args.AddRange(extraArgs);
        return new EdgeAgent(agentId, outbox, args);
    }

    public void Start(params string[] overrides) => Process = ServerProcess.StartProject("Edge", [.. _args, .. overrides]);

    public async Task KillAsync()
    {
        if (Process is not null)
        {
            await Process.KillAsync();
            await Process.DisposeAsync();
            Process = null;
        }
    }

    public async Task StopAsync()
    {
        if (Process is not null)
        {
            await Process.StopAsync();
            await Process.DisposeAsync();
            Process = null;
        }
    }

    /// <summary>The seqs in the outbox (committed, not yet acknowledged). Only while the agent is not running: it holds the file exclusively.</summary>
    public HashSet<long> OutboxSeqs()
    {
        if (!File.Exists(OutboxPath))
        {
            return [];
        }
        using var db = new SqliteConnection($"Data Source={OutboxPath};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT seq FROM message";
        using var reader = command.ExecuteReader();
        var seqs = new HashSet<long>();
        while (reader.Read())
        {
            seqs.Add(reader.GetInt64(0));
        }
        return seqs;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}

/// <summary>What InfluxDB holds of one agent's messages: every stored (measurement, device, time, seq).</summary>
internal sealed record StoredPoint(string Measurement, string Device, long TimeMs, long Seq);

internal static class Stored
{
    private static readonly (string Measurement, string Tag)[] Kinds = [("ap", "ap"), ("shelter", "shelter"), ("weather", "station")];

    public static async Task<List<StoredPoint>> PointsAsync(InfluxServer influx, string database, string agentSeqFrom = "")
    {
        var points = new List<StoredPoint>();
        foreach (var (measurement, tag) in Kinds)
        {
            IReadOnlyList<Dictionary<string, JsonElement>> rows;
            try
            {
                rows = await influx.QueryAsync(database, $"SELECT seq, \"{tag}\" FROM \"{measurement}\"");
            }
            catch (InvalidOperationException e) when (e.Message.Contains("database not found", StringComparison.Ordinal))
            {
                return points;
            }
            points.AddRange(rows.Select(r => new StoredPoint(measurement, r[tag].GetString()!, r["time"].GetInt64(), r["seq"].GetInt64())));
        }
        return points;
    }

    public static async Task<long> CountAsync(InfluxServer influx, string database) => (await PointsAsync(influx, database)).Count;
}
