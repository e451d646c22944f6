// Node-RED settings for the bench: loopback only, no editor, no credentials, info logs (the bench waits for
// "Connected to broker" in them). Port and paths come from the environment set by bench/compare.sh.
module.exports = {
    uiHost: "127.0.0.1",
    uiPort: parseInt(process.env.NODE_RED_PORT, 10),
    httpAdminRoot: false,
    httpNodeRoot: false,
    credentialSecret: false,
    flowFile: process.env.NODE_RED_FLOWS,
    logging: { console: { level: "info", metrics: false, audit: false } },
    externalModules: { autoInstall: false },
    diagnostics: { enabled: false },
    telemetry: { enabled: false },
};
