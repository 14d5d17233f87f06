using BenchmarkDotNet.Running;
using Coffer.Benchmarks;

// Micro benchmarks:  dotnet run -c Release --project bench/Coffer.Benchmarks -- --filter '*'
// Load benchmark:    dotnet run -c Release --project bench/Coffer.Benchmarks -- load [--store file|memory]
// Each measures Coffer against a baseline in the same run (see docs/benchmarks.md).
// wrk benchmark:     dotnet run -c Release --project bench/Coffer.Benchmarks -- wrk [--params 100000] [--secrets 10000]
if (args.Length > 0 && args[0] == "load")
{
    return await LoadBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "wrk")
{
    return await WrkBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] is "serve-bare" or "serve-coffer")
{
    return await WrkBenchmark.ServeAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
