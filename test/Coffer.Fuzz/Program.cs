using Coffer.Fuzz;
using Coffer.Fuzz.Targets;
using SharpFuzz;

// Usage:
//   Coffer.Fuzz TARGET              run under afl-fuzz (tools/fuzz.sh), one input per iteration
//   Coffer.Fuzz TARGET FILE...      run the files once each and print what escaped (triage)
//   Coffer.Fuzz --seeds DIR         write the generated seeds (signed requests, real blobs) under DIR/<target>/
if (args.Length == 2 && args[0] == "--seeds")
{
    Seeds.Write(args[1]);
    return 0;
}

if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: Coffer.Fuzz TARGET [FILE...] | --seeds DIR; targets: {string.Join(", ", FuzzTargets.All.Keys)}");
    return 2;
}

if (args.Length > 1)
{
    var failed = 0;
    foreach (var file in args.Skip(1))
    {
        try
        {
            target(File.ReadAllBytes(file));
        }
        catch (Exception e)
        {
            failed++;
            Console.WriteLine($"{file}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }
    }

    Console.WriteLine($"{args.Length - 1 - failed} passed, {failed} failed");
    return failed == 0 ? 0 : 1;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.ToArray());
});
return 0;
