using FacilityHub.Edge.Publishing;
using Microsoft.Data.Sqlite;

namespace FacilityHub.Edge.Outbox;

/// <summary>The outbox file cannot be opened: locked by another agent, not a database, unreadable. The message names Outbox:Path.</summary>
internal sealed class OutboxUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>A range of <c>seq</c> values, both ends included, as the hub's acknowledgement names them.</summary>
internal readonly record struct SeqRange(long From, long To);

/// <summary>What the agent status reports about the outbox.</summary>
internal sealed record OutboxStats(long Count, long Bytes, DateTimeOffset? OldestCreatedAt, long EvictedTelemetry, long EvictedShelters)
{
    public long Evicted => EvictedTelemetry + EvictedShelters;

    /// <summary>Whole seconds since the oldest message still waiting for the hub's acknowledgement entered the outbox.</summary>
    public long OldestUnackedSeconds(DateTimeOffset now) =>
        OldestCreatedAt is { } oldest ? Math.Max(0, (long)(now - oldest).TotalSeconds) : 0;
}

/// <summary>
/// The agent's durable outbox: a SQLite file (WAL, <c>synchronous=FULL</c>, so every commit is fsync'd)
/// holding every message from before it is first published until the hub acknowledges its <c>seq</c>.
/// Appends are group commits: the writer hands over everything that arrived since its last commit, so one
/// fsync covers many messages. Bounded by bytes and age; when full, AP samples and weather observations
/// are evicted oldest first and shelter reports only when nothing else is left. See
/// docs/decisions/0005-edge-outbox.md. Thread-safe: the writer appends while the publisher reads and acknowledges.
/// </summary>
internal sealed partial class OutboxStore : IDisposable
{
    /// <summary>
    /// Bytes counted per message beyond topic and payload: SQLite's record header, seq, kind, timestamps,
    /// the table b-tree cell and the entry in one partial index; rounded up so the file stays near the bound.
    /// </summary>
    public const int RowOverheadBytes = 64;

    private const int EvictBatch = 256;

    // Two partial indexes, one for shelter reports and one for everything else, so that "the oldest AP or
    // weather message" is one index seek even when thousands of shelter reports sit in front of it. The
    // kind must be a literal in the queries, or SQLite cannot tell that the partial index applies.
    private static readonly string Shelter = ((int)MessageKind.Shelter).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static readonly string[] EvictionOrder =
    [
        $"DELETE FROM message WHERE seq = (SELECT seq FROM message WHERE kind <> {Shelter} ORDER BY seq LIMIT 1) RETURNING seq, kind, size",
        $"DELETE FROM message WHERE seq = (SELECT seq FROM message WHERE kind = {Shelter} ORDER BY seq LIMIT 1) RETURNING seq, kind, size",
    ];

    // Freed pages are handed back to the file system only when at least this many are free; smaller
    // amounts are reused by the next appends anyway.
    private const long VacuumAbovePages = 256;

    private readonly SqliteConnection _db;
    private readonly Lock _lock = new();
    private readonly long _maxBytes;
    private readonly TimeSpan _maxAge;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EvictionLog _evictionLog;

    // Mirrors of what the file holds, kept in memory so that appends and the status never count rows.
    private long _count;
    private long _bytes;
    private long _lastSeq;
    private long _evictedTelemetry;
    private long _evictedShelters;
    private int _stateVersion;
    private bool _disposed;

    private OutboxStore(SqliteConnection db, string path, long maxBytes, TimeSpan maxAge, TimeProvider time, ILogger logger)
    {
        _db = db;
        Path = path;
        _maxBytes = maxBytes;
        _maxAge = maxAge;
        _time = time;
        _logger = logger;
        _evictionLog = new EvictionLog(time);
    }

    public string Path { get; }

    /// <summary>The highest <c>seq</c> ever committed here, acknowledged or not; the agent's counter continues above it.</summary>
    public long LastSeq
    {
        get
        {
            lock (_lock)
            {
                return _lastSeq;
            }
        }
    }

    public long Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>
    /// Changes when something the agent status shows changes in kind, not just in number: the outbox
    /// becomes empty or stops being empty, or a message is evicted. The status is republished on a change.
    /// </summary>
    public int StateVersion => Volatile.Read(ref _stateVersion);

    /// <summary>
    /// Opens (or creates) the outbox at <paramref name="path"/>. A torn final commit from a crash is
    /// discarded by SQLite's WAL recovery; every commit before it is there.
    /// </summary>
    public static OutboxStore Open(string path, long maxBytes, TimeSpan maxAge, TimeProvider time, ILogger<OutboxStore> logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxBytes, 0);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxAge, TimeSpan.Zero);
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var db = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // Closed on Dispose, so the exclusive lock is released and the file can be opened again.
            Pooling = false,
            // A second agent on the same file waits this long for the lock, then fails instead of hanging.
            DefaultTimeout = 1,
        }.ToString());
        try
        {
            db.Open();
            Execute(db, $"""
                PRAGMA locking_mode = EXCLUSIVE;
                PRAGMA auto_vacuum = INCREMENTAL;
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = FULL;
                PRAGMA journal_size_limit = 8388608;
                CREATE TABLE IF NOT EXISTS message (
                    seq        INTEGER PRIMARY KEY,
                    kind       INTEGER NOT NULL,
                    topic      TEXT    NOT NULL,
                    payload    BLOB    NOT NULL,
                    created_ms INTEGER NOT NULL,
                    size       INTEGER NOT NULL);
                CREATE INDEX IF NOT EXISTS message_telemetry ON message (seq) WHERE kind <> {Shelter};
                CREATE INDEX IF NOT EXISTS message_shelter ON message (seq) WHERE kind = {Shelter};
                CREATE TABLE IF NOT EXISTS meta (
                    key   TEXT PRIMARY KEY,
                    value INTEGER NOT NULL) WITHOUT ROWID;
                """);
            // locking_mode EXCLUSIVE only takes the lock at the first write: take it now, so that a second
            // agent configured with the same file fails here, at start-up, not at its first message.
            Execute(db, "BEGIN IMMEDIATE; INSERT OR IGNORE INTO meta (key, value) VALUES ('last_seq', 0); COMMIT;");
        }
        catch (SqliteException e)
        {
            db.Dispose();
            var hint = e.SqliteErrorCode == 5 ? " (is another agent using this outbox?)" : "";
            throw new OutboxUnavailableException($"Outbox:Path '{path}' cannot be opened: {e.Message}{hint}", e);
        }

        var outbox = new OutboxStore(db, full, maxBytes, maxAge, time, logger);
        outbox.Load();
        Log.Opened(logger, full, outbox._count, outbox._bytes, outbox._lastSeq);
        return outbox;
    }

    /// <summary>
    /// Commits <paramref name="batch"/> in one transaction (one fsync), then evicts what no longer fits.
    /// Returns the <c>seq</c> of every message of the batch that was evicted again at once because the
    /// outbox is full of shelter reports; those must not be published.
    /// </summary>
    public IReadOnlySet<long> Append(IReadOnlyList<OutgoingMessage> batch)
    {
        if (batch.Count == 0)
        {
            return new HashSet<long>();
        }
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var createdMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            var wasEmpty = _count == 0;
            var count = _count;
            var bytes = _bytes;
            var lastSeq = _lastSeq;
            using var tx = _db.BeginTransaction();
            using (var insert = _db.CreateCommand())
            {
                insert.Transaction = tx;
                insert.CommandText = "INSERT INTO message (seq, kind, topic, payload, created_ms, size) VALUES ($seq, $kind, $topic, $payload, $created, $size)";
                var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
                var kind = insert.Parameters.Add("$kind", SqliteType.Integer);
                var topic = insert.Parameters.Add("$topic", SqliteType.Text);
                var payload = insert.Parameters.Add("$payload", SqliteType.Blob);
                insert.Parameters.AddWithValue("$created", createdMs);
                var size = insert.Parameters.Add("$size", SqliteType.Integer);
                foreach (var message in batch)
                {
                    var messageBytes = SizeOf(message);
                    seq.Value = message.Seq;
                    kind.Value = (int)message.Kind;
                    topic.Value = message.Topic;
                    payload.Value = message.Payload;
                    size.Value = messageBytes;
                    insert.ExecuteNonQuery();
                    count++;
                    bytes += messageBytes;
                    lastSeq = Math.Max(lastSeq, message.Seq);
                }
            }

            var evicted = new Evicted();
            if (bytes > _maxBytes)
            {
                EvictOldest(tx, bytes - _maxBytes, evicted);
            }
            SetMeta(tx, "last_seq", lastSeq);
            SaveEvictionCounts(tx, evicted);
            tx.Commit();

            _count = count - evicted.Count;
            _bytes = bytes - evicted.Bytes;
            _lastSeq = lastSeq;
            Account(evicted, wasEmpty, "the outbox is full");
            var firstOfBatch = batch[0].Seq;
            return evicted.Seqs.Where(s => s >= firstOfBatch).ToHashSet();
        }
    }

    /// <summary>Removes the acknowledged messages; returns how many were here (a repeated ack removes nothing).</summary>
    public int Acknowledge(IReadOnlyList<SeqRange> ranges)
    {
        if (ranges.Count == 0)
        {
            return 0;
        }
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var removed = 0;
            long removedBytes = 0;
            using (var tx = _db.BeginTransaction())
            {
                using var delete = _db.CreateCommand();
                delete.Transaction = tx;
                delete.CommandText = "DELETE FROM message WHERE seq BETWEEN $from AND $to RETURNING size";
                var from = delete.Parameters.Add("$from", SqliteType.Integer);
                var to = delete.Parameters.Add("$to", SqliteType.Integer);
                foreach (var range in ranges)
                {
                    from.Value = range.From;
                    to.Value = range.To;
                    using var rows = delete.ExecuteReader();
                    while (rows.Read())
                    {
                        removed++;
                        removedBytes += rows.GetInt64(0);
                    }
                }
                if (removed == 0)
                {
                    return 0;
                }
                tx.Commit();
            }
            _count -= removed;
            _bytes -= removedBytes;
            if (_count == 0)
            {
                Drained();
            }
            return removed;
        }
    }

    /// <summary>Drops messages older than the age bound; returns how many.</summary>
    public int EvictExpired()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var cutoffMs = (_time.GetUtcNow() - _maxAge).ToUnixTimeMilliseconds();
            if (OldestCreatedMs() is not { } oldest || oldest >= cutoffMs)
            {
                return 0;
            }
            var evicted = new Evicted();
            using (var tx = _db.BeginTransaction())
            {
                using var delete = _db.CreateCommand();
                delete.Transaction = tx;
                // Messages enter in seq order, so the expired ones are at the front: delete from the front
                // while they are expired, never scanning the whole table for the few that are.
                delete.CommandText = """
                    DELETE FROM message
                    WHERE seq IN (SELECT seq FROM message ORDER BY seq LIMIT $limit) AND created_ms < $cutoff
                    RETURNING seq, kind, size
                    """;
                delete.Parameters.AddWithValue("$limit", EvictBatch);
                delete.Parameters.AddWithValue("$cutoff", cutoffMs);
                int deleted;
                do
                {
                    deleted = Collect(delete, evicted);
                }
                while (deleted == EvictBatch);
                SaveEvictionCounts(tx, evicted);
                tx.Commit();
            }
            _count -= evicted.Count;
            _bytes -= evicted.Bytes;
            Account(evicted, wasEmpty: false, $"they are older than Outbox:MaxAge {_maxAge}");
            if (_count == 0)
            {
                Drained();
            }
            return evicted.Count;
        }
    }

    /// <summary>Up to <paramref name="limit"/> messages with <paramref name="afterSeq"/> &lt; seq ≤ <paramref name="upToSeq"/>, oldest first.</summary>
    public IReadOnlyList<OutgoingMessage> Read(long afterSeq, long upToSeq, int limit)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var select = _db.CreateCommand();
            select.CommandText = "SELECT seq, kind, topic, payload FROM message WHERE seq > $after AND seq <= $upTo ORDER BY seq LIMIT $limit";
            select.Parameters.AddWithValue("$after", afterSeq);
            select.Parameters.AddWithValue("$upTo", upToSeq);
            select.Parameters.AddWithValue("$limit", limit);
            using var rows = select.ExecuteReader();
            var messages = new List<OutgoingMessage>();
            while (rows.Read())
            {
                messages.Add(new OutgoingMessage(rows.GetString(2), rows.GetFieldValue<byte[]>(3), rows.GetInt64(0), (MessageKind)rows.GetInt32(1)));
            }
            return messages;
        }
    }

    public OutboxStats Stats()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var oldest = OldestCreatedMs() is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null;
            return new OutboxStats(_count, _bytes, oldest, _evictedTelemetry, _evictedShelters);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _db.Dispose();
        }
    }

    internal static long SizeOf(OutgoingMessage message) =>
        System.Text.Encoding.UTF8.GetByteCount(message.Topic) + message.Payload.Length + RowOverheadBytes;

    private void Load()
    {
        using var select = _db.CreateCommand();
        select.CommandText = """
            SELECT count(*), coalesce(sum(size), 0), coalesce(max(seq), 0) FROM message;
            SELECT key, value FROM meta;
            """;
        using var rows = select.ExecuteReader();
        rows.Read();
        _count = rows.GetInt64(0);
        _bytes = rows.GetInt64(1);
        var maxSeq = rows.GetInt64(2);
        rows.NextResult();
        var meta = new Dictionary<string, long>(StringComparer.Ordinal);
        while (rows.Read())
        {
            meta[rows.GetString(0)] = rows.GetInt64(1);
        }
        _lastSeq = Math.Max(maxSeq, meta.GetValueOrDefault("last_seq"));
        _evictedTelemetry = meta.GetValueOrDefault("evicted_telemetry");
        _evictedShelters = meta.GetValueOrDefault("evicted_shelters");
    }

    /// <summary>Deletes oldest AP and weather messages, then (only if still over) oldest shelter reports.</summary>
    private void EvictOldest(SqliteTransaction tx, long overBytes, Evicted evicted)
    {
        using var delete = _db.CreateCommand();
        delete.Transaction = tx;
        foreach (var sql in EvictionOrder)
        {
            delete.CommandText = sql;
            while (evicted.Bytes < overBytes && Collect(delete, evicted) > 0)
            {
            }
        }
    }

    private static int Collect(SqliteCommand delete, Evicted evicted)
    {
        using var rows = delete.ExecuteReader();
        var n = 0;
        while (rows.Read())
        {
            evicted.Add(rows.GetInt64(0), (MessageKind)rows.GetInt32(1), rows.GetInt64(2));
            n++;
        }
        return n;
    }

    /// <summary>Counts and logs evictions, and notes a change the agent status shows.</summary>
    private void Account(Evicted evicted, bool wasEmpty, string why)
    {
        if (wasEmpty != (_count == 0))
        {
            Interlocked.Increment(ref _stateVersion);
        }
        if (!evicted.Any)
        {
            return;
        }
        _evictedTelemetry += evicted.Telemetry;
        _evictedShelters += evicted.Shelters;
        Interlocked.Increment(ref _stateVersion);
        _evictionLog.Report(_logger, evicted.Telemetry, evicted.Shelters, why, _evictedTelemetry, _evictedShelters);
    }

    private long? OldestCreatedMs()
    {
        using var select = _db.CreateCommand();
        select.CommandText = "SELECT created_ms FROM message ORDER BY seq LIMIT 1";
        return select.ExecuteScalar() is long ms ? ms : null;
    }

    private void SaveEvictionCounts(SqliteTransaction tx, Evicted evicted)
    {
        if (evicted.Any)
        {
            SetMeta(tx, "evicted_telemetry", _evictedTelemetry + evicted.Telemetry);
            SetMeta(tx, "evicted_shelters", _evictedShelters + evicted.Shelters);
        }
    }

    /// <summary>The outbox has just become empty: a change the status shows, and a moment to give space back.</summary>
    private void Drained()
    {
        Interlocked.Increment(ref _stateVersion);
        Compact();
    }

    private void SetMeta(SqliteTransaction tx, string key, long value)
    {
        using var upsert = _db.CreateCommand();
        upsert.Transaction = tx;
        upsert.CommandText = "INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
        upsert.Parameters.AddWithValue("$key", key);
        upsert.Parameters.AddWithValue("$value", value);
        upsert.ExecuteNonQuery();
    }

    /// <summary>
    /// Gives the space of a drained backlog back to the file system. Deleted pages are reused by later
    /// appends anyway, so the file never grows past the size bound; this only shrinks it after an outage.
    /// </summary>
    private void Compact()
    {
        using var command = _db.CreateCommand();
        command.CommandText = "PRAGMA freelist_count";
        if (command.ExecuteScalar() is long free && free >= VacuumAbovePages)
        {
            command.CommandText = "PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);";
            command.ExecuteNonQuery();
            Log.Compacted(_logger, free);
        }
    }

    private static void Execute(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>What one eviction removed.</summary>
    private sealed class Evicted
    {
        public List<long> Seqs { get; } = [];
        public long Telemetry { get; private set; }
        public long Shelters { get; private set; }
        public long Bytes { get; private set; }
        public int Count => Seqs.Count;
        public bool Any => Seqs.Count > 0;

        public void Add(long seq, MessageKind kind, long bytes)
        {
            Seqs.Add(seq);
            Bytes += bytes;
            if (kind == MessageKind.Shelter)
            {
                Shelters++;
            }
            else
            {
                Telemetry++;
            }
        }
    }
}
