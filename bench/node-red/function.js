// The function node of the batch flow a city would build: topic + JSON → an InfluxDB point, PROTOCOL.md's schema
// (without the registry's district tag and without validation: the hub does both, this flow does neither).
const parts = msg.topic.split('/');
const p = msg.payload;
if (typeof p !== 'object' || p === null || !p.ts) { return null; }
const timestamp = new Date(p.ts);
const f = {};
const put = (name, value) => { if (value !== undefined && value !== null) { f[name] = value; } };
let measurement, tags;
if (parts[2] === 'ap') {
    measurement = 'ap'; tags = { site: parts[3], ap: parts[4] };
    put('up', p.status === 'up');
    put('clients_2g', p.clients2g); put('clients_5g', p.clients5g);
    put('channel_util_2g_pct', p.channelUtil2gPct); put('channel_util_5g_pct', p.channelUtil5gPct);
    put('rx_bps', p.rxBps); put('tx_bps', p.txBps); put('noise_dbm', p.noiseDbm);
    put('uptime_s', p.uptimeS); put('cpu_pct', p.cpuPct); put('mem_pct', p.memPct);
} else if (parts[2] === 'shelter') {
    measurement = 'shelter'; tags = { shelter: parts[3] };
    put('open', p.open); put('accepting', p.accepting); put('occupancy', p.occupancy); put('capacity', p.capacity);
    if (p.capacity) { put('occupancy_pct', 100 * p.occupancy / p.capacity); }
} else if (parts[2] === 'weather') {
    measurement = 'weather'; tags = { station: parts[3] };
    put('temperature_c', p.temperatureC); put('humidity_pct', p.humidityPct); put('pressure_hpa', p.pressureHpa);
    put('wind_speed_ms', p.windSpeedMs); put('wind_dir_deg', p.windDirDeg); put('gust_ms', p.gustMs);
    put('rain_10m_mm', p.rain10mMm); put('rain_1h_mm', p.rain1hMm); put('rain_24h_mm', p.rain24hMm);
} else {
    return null;
}
put('seq', p.seq);
msg.payload = { measurement, tags, fields: f, timestamp };
return msg;
