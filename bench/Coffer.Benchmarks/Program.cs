using BenchmarkDotNet.Running;
using Coffer.Benchmarks;

// Micro benchmarks:  dotnet run -c Release --project bench/Coffer.Benchmarks -- --filter '*'
// Load benchmark:    dotnet run -c Release --project bench/Coffer.Benchmarks -- load [--store file|memory]
// Audit trail:       dotnet run -c Release --project bench/Coffer.Benchmarks -- audit append|retention|lookup [--records N]
// Events:            dotnet run -c Release --project bench/Coffer.Benchmarks -- events [--rules 100]
// Each measures Coffer against a baseline in the same run (see docs/benchmarks.md).
if (args.Length > 0 && args[0] == "load")
{
    return await LoadBenchmark.RunAsync(args[1..]);
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
