using System.CommandLine;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Command = System.CommandLine.Command;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer params</c>: Parameter Store for people. <c>tree</c> shows a hierarchy, <c>history</c>
/// a parameter's versions, <c>diff</c> compares two stages and <c>copy</c> promotes one stage to
/// another. Values are never printed unless asked for with <c>--show-values</c>.
/// </summary>
internal static class ParamsCommand
{
    public static Command Create() => new("params", "Look at, compare and promote Parameter Store stages (/app/dev, /app/prod, ...).")
    {
        Tree(),
        History(),
        Diff(),
        Copy(),
    };

    private static Option<string> Url() => CommonOptions.Url();

    private static Command Tree()
    {
        var path = new Argument<string>("path") { Description = "The path to show, such as /app." };
        var url = Url();
        var command = new Command("tree", "Show the parameters under a path as a tree, with each one's type and version.") { path, url };
        command.SetAction((parse, ct) => RunAsync(parse, url, async (ssm, output) =>
        {
            var root = parse.GetValue(path)!;
            var entries = await ParameterStage.ReadAsync(ssm, root, decrypt: false, ct);
            output.WriteLine(root);
            var printed = new HashSet<string>(StringComparer.Ordinal);
            var keys = entries.Keys.ToList();
            for (var i = 0; i < keys.Count; i++)
            {
                var parts = keys[i].Split('/');
                for (var depth = 0; depth < parts.Length; depth++)
                {
                    var prefix = string.Join('/', parts[..(depth + 1)]);
                    if (!printed.Add(prefix))
                    {
                        continue;
                    }

                    var indent = string.Concat(Enumerable.Range(0, depth).Select(d => HasLaterSibling(keys, i, parts, d) ? "│   " : "    "));
                    var branch = HasLaterSibling(keys, i, parts, depth) ? "├── " : "└── ";
                    var leaf = depth == parts.Length - 1 ? $"  ({entries[keys[i]].Type}, v{entries[keys[i]].Version})" : "";
                    output.WriteLine(indent + branch + parts[depth] + leaf);
                }
            }

            output.WriteLine($"{entries.Count} parameters");
            return 0;
        }));
        return command;
    }

    /// <summary>Whether a later key shares the first <paramref name="depth"/> segments but has another segment at <paramref name="depth"/>.</summary>
    private static bool HasLaterSibling(List<string> keys, int index, string[] parts, int depth)
    {
        var parent = string.Join('/', parts[..depth]);
        for (var j = index + 1; j < keys.Count; j++)
        {
            var other = keys[j].Split('/');
            if (other.Length <= depth || string.Join('/', other[..depth]) != parent)
            {
                return false;
            }

            if (other[depth] != parts[depth])
            {
                return true;
            }
        }

        return false;
    }

    private static Command History()
    {
        var name = new Argument<string>("name") { Description = "The parameter, such as /app/prod/db/password." };
        var url = Url();
        var command = new Command("history", "Show a parameter's versions: when, who, type and labels (never values).") { name, url };
        command.SetAction((parse, ct) => RunAsync(parse, url, async (ssm, output) =>
        {
            var request = new GetParameterHistoryRequest { Name = parse.GetValue(name)!, MaxResults = 50 };
            output.WriteLine($"{"VERSION",-8} {"MODIFIED (UTC)",-20} {"TYPE",-12} {"BY",-40} LABELS");
            do
            {
                var page = await ssm.GetParameterHistoryAsync(request, ct);
                foreach (var v in page.Parameters ?? [])
                {
                    output.WriteLine($"{v.Version,-8} {v.LastModifiedDate:yyyy-MM-dd HH:mm:ss}  {v.Type.Value,-12} {v.LastModifiedUser,-40} {string.Join(", ", v.Labels ?? [])}");
                }

                request.NextToken = page.NextToken;
            }
            while (request.NextToken is not null);

            return 0;
        }));
        return command;
    }

    private static Command Diff()
    {
        var left = new Argument<string>("from") { Description = "A stage's path, such as /app/dev." };
        var right = new Argument<string>("to") { Description = "Another stage's path, such as /app/prod." };
        var showValues = new Option<bool>("--show-values") { Description = "Print the differing values (SecureStrings decrypted)." };
        var url = Url();
        var command = new Command("diff", "Compare two stages: which keys are missing on either side or differ. Exits 1 when they differ.") { left, right, showValues, url };
        command.SetAction((parse, ct) => RunAsync(parse, url, async (ssm, output) =>
        {
            var (from, to) = (parse.GetValue(left)!, parse.GetValue(right)!);
            var show = parse.GetValue(showValues);
            var a = await ParameterStage.ReadAsync(ssm, from, decrypt: true, ct);
            var b = await ParameterStage.ReadAsync(ssm, to, decrypt: true, ct);
            var differences = 0;
            foreach (var key in a.Keys.Union(b.Keys).Order(StringComparer.Ordinal))
            {
                var (x, y) = (a.GetValueOrDefault(key), b.GetValueOrDefault(key));
                var line = (x, y) switch
                {
                    (not null, null) => $"- {key}  only in {from}" + (show ? $": {x.Value}" : ""),
                    (null, not null) => $"+ {key}  only in {to}" + (show ? $": {y.Value}" : ""),
                    (not null, not null) when x.Type != y.Type || x.Value != y.Value =>
                        $"~ {key}  differs" + (x.Type != y.Type ? $" (type {x.Type} / {y.Type})" : "") + (show ? $": {x.Value} / {y.Value}" : ""),
                    _ => null,
                };
                if (line is not null)
                {
                    differences++;
                    output.WriteLine(line);
                }
            }

            output.WriteLine(differences == 0 ? $"{from} and {to} are the same ({a.Count} parameters)." : $"{differences} differences.");
            return differences == 0 ? 0 : 1;
        }));
        return command;
    }

    private static Command Copy()
    {
        var from = new Option<string>("--from") { Description = "The stage to copy from, such as /app/dev.", Required = true };
        var to = new Option<string>("--to") { Description = "The stage to copy to, such as /app/staging.", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be copied; change nothing." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace parameters that exist in the target with a different value (a new version)." };
        var url = Url();
        var command = new Command("copy", "Promote a stage: copy every parameter under one path to another, keeping types (SecureStrings stay encrypted).") { from, to, dryRun, overwrite, url };
        command.SetAction((parse, ct) => RunAsync(parse, url, async (ssm, output) =>
        {
            var (source, target) = (parse.GetValue(from)!, parse.GetValue(to)!.TrimEnd('/'));
            var (dry, replace) = (parse.GetValue(dryRun), parse.GetValue(overwrite));
            var a = await ParameterStage.ReadAsync(ssm, source, decrypt: true, ct);
            var b = await ParameterStage.ReadAsync(ssm, target, decrypt: true, ct);
            var (created, updated, skipped) = (0, 0, 0);
            foreach (var entry in a.Values)
            {
                var existing = b.GetValueOrDefault(entry.Key);
                if (existing is not null && (!replace || (existing.Type == entry.Type && existing.Value == entry.Value)))
                {
                    skipped++;
                    output.WriteLine($"= {target}/{entry.Key}  {(existing.Type == entry.Type && existing.Value == entry.Value ? "already the same" : "exists (use --overwrite)")}");
                    continue;
                }

                output.WriteLine($"{(existing is null ? "+" : "~")} {target}/{entry.Key}  ({entry.Type}){(dry ? "  [dry run]" : "")}");
                if (!dry)
                {
                    await ssm.PutParameterAsync(new PutParameterRequest
                    {
                        Name = $"{target}/{entry.Key}",
                        Value = entry.Value,
                        Type = entry.Type,
                        Overwrite = existing is not null,
                        Tier = ParameterTier.IntelligentTiering,
                    }, ct);
                }

                _ = existing is null ? created++ : updated++;
            }

            output.WriteLine($"{(dry ? "Would copy" : "Copied")}: {created} new, {updated} updated, {skipped} left as they were.");
            return 0;
        }));
        return command;
    }

    /// <summary>Runs a subcommand with a client; AWS errors become one line on stderr and exit code 2, never with a value in them.</summary>
    private static async Task<int> RunAsync(ParseResult parse, Option<string> url, Func<IAmazonSimpleSystemsManagement, TextWriter, Task<int>> action)
    {
        var output = parse.InvocationConfiguration.Output;
        try
        {
            using var ssm = ParameterStage.Client(parse.GetValue(url)!);
            return await action(ssm, output);
        }
        catch (AmazonSimpleSystemsManagementException e)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"{e.ErrorCode}: {e.Message}");
            return 2;
        }
    }
}
