using BenchmarkDotNet.Running;
using Coffer.Benchmarks;

// Micro benchmarks:  dotnet run -c Release --project bench/Coffer.Benchmarks -- --filter '*'
// Load benchmark:    dotnet run -c Release --project bench/Coffer.Benchmarks -- load [--store file|memory]
// Agent benchmark:   dotnet run -c Release --project bench/Coffer.Benchmarks -- agent [--agent-binary PATH]
// wrk benchmark:     dotnet run -c Release --project bench/Coffer.Benchmarks -- wrk [--params 100000] [--secrets 10000]
// Nodes (issue 10):  dotnet run -c Release --project bench/Coffer.Benchmarks -- nodes [--seconds 3] [--rounds 2]
// Audit trail:       dotnet run -c Release --project bench/Coffer.Benchmarks -- audit append|retention|lookup [--records N]
// Footprint:        dotnet run -c Release --project bench/Coffer.Benchmarks -- footprint seed|start|memory --data-dir DIR
// Allocations:      dotnet run -c Release --project bench/Coffer.Benchmarks -- allocations [--calls 20000]   (and --filter '*HotReadAllocation*')
// Events:            dotnet run -c Release --project bench/Coffer.Benchmarks -- events [--rules 100]
// Each measures Coffer against a baseline in the same run (see docs/benchmarks.md).
if (args.Length > 0 && args[0] == "load")
{
    return await LoadBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "wrk")
{
    return await WrkBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "nodes")
{
    return await WrkBenchmark.RunNodesAsync(args[1..]);
}

if (args.Length > 0 && args[0] is "serve-bare" or "serve-coffer")
{
    return await WrkBenchmark.ServeAsync(args);
}

if (args.Length > 0 && args[0] == "footprint")
{
    return await FootprintBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "allocations")
{
    return await AllocationProfile.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "agent")
{
    return await AgentBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "events")
{
    return await EventsBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "audit")
{
    return await AuditBenchmark.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
