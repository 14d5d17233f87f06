using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Coffer.Benchmarks -- --filter '*'
// Each benchmark class measures Coffer against a baseline in the same run (see docs/benchmarks.md).
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
