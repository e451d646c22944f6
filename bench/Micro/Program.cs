using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// The hub's per-message work without I/O: time and bytes allocated per message (docs/benchmarks.md, "Per message").
//   dotnet run -c Release --project bench/Micro -- --filter '*'
// In process: the benchmarks need the hub's assemblies as built, not a generated project; reports go to a temp dir.
var config = DefaultConfig.Instance
    .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "facilityhub-micro"))
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance));
BenchmarkSwitcher.FromAssembly(typeof(FacilityHub.Bench.Micro.IngestBenchmarks).Assembly).Run(args, config);
