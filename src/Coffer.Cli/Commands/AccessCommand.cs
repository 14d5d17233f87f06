using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;

namespace Coffer.Cli.Commands;

/// <summary>
/// <c>coffer access explain</c>: which statement of which policy allows or denies an action, through
/// IAM's SimulatePrincipalPolicy; <c>coffer access role-credentials</c>: a role's temporary
/// credentials for a function, through Coffer's IssueRoleCredentials, as environment variables.
/// </summary>
internal static class AccessCommand
{
    public static Command Create()
    {
        var command = new Command("access", "Explain access decisions; issue a role's credentials for a function.");
        command.Subcommands.Add(Explain());
        command.Subcommands.Add(RoleCredentials());
        return command;
    }

    private static Command Explain()
    {
        var url = CommonOptions.Url();
        var principal = new Option<string>("--principal") { Description = "The ARN of a user, group, role or assumed-role session.", Required = true };
        var action = new Option<string[]>("--action") { Description = "An IAM action such as kms:Decrypt (repeatable).", Required = true, AllowMultipleArgumentsPerToken = true };
        var resource = new Option<string[]>("--resource") { Description = "A resource ARN (repeatable; default *). A KMS key's or a secret's policy is used automatically.", AllowMultipleArgumentsPerToken = true };
        var context = new Option<string[]>("--context") { Description = "A condition key and value, key=value (repeatable), such as kms:EncryptionContext:stage=prod." };
        var command = new Command("explain", "Explain whether a principal may perform an action on a resource, and which policy statements decide.") { url, principal, action, resource, context };
        command.SetAction(async (parse, ct) => await CommonOptions.RunAsync(async () =>
        {
            var parameters = new List<KeyValuePair<string, string>> { new("PolicySourceArn", parse.GetValue(principal)!) };
            Members(parameters, "ActionNames", parse.GetValue(action)!);
            Members(parameters, "ResourceArns", parse.GetValue(resource) ?? []);
            var n = 0;
            foreach (var entry in parse.GetValue(context) ?? [])
            {
                var eq = entry.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw new CliException($"--context '{entry}' must be key=value.");
                }

                n++;
                parameters.Add(new($"ContextEntries.member.{n}.ContextKeyName", entry[..eq]));
                parameters.Add(new($"ContextEntries.member.{n}.ContextKeyValues.member.1", entry[(eq + 1)..]));
                parameters.Add(new($"ContextEntries.member.{n}.ContextKeyType", "string"));
            }

            using var client = new SignedClient(new Uri(parse.GetValue(url)!));
            var response = await client.QueryAsync("iam", "2010-05-08", "SimulatePrincipalPolicy", parameters, ct);
            var denied = false;
            foreach (var result in response.Descendants().Where(e => e.Name.LocalName == "EvaluationResults").Elements())
            {
                denied |= Print(parse.GetValue(principal)!, result);
            }

            return denied ? 2 : 0;
        }));
        return command;
    }

    private static Command RoleCredentials()
    {
        var url = CommonOptions.Url();
        var role = new Option<string>("--role-arn") { Description = "The function's role; its trust policy must allow lambda.amazonaws.com to assume it.", Required = true };
        var function = new Option<string?>("--function") { Description = "The function's name, used as the session name." };
        var duration = new Option<int?>("--duration-seconds") { Description = "How long the credentials last (900 to the role's maximum; default 3600)." };
        var command = new Command("role-credentials", "Issue a role's temporary credentials for a function (needs iam:PassRole on the role), printed as environment variables.") { url, role, function, duration };
        command.SetAction(async (parse, ct) => await CommonOptions.RunAsync(async () =>
        {
            var request = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["RoleArn"] = parse.GetValue(role),
                ["SessionName"] = parse.GetValue(function),
                ["DurationSeconds"] = parse.GetValue(duration),
            }.Where(p => p.Value is not null).ToDictionary());
            using var client = new SignedClient(new Uri(parse.GetValue(url)!));
            using var response = await client.JsonAsync("coffer", "Coffer.IssueRoleCredentials", request, ct);
            var c = response.RootElement.GetProperty("Credentials");
            var expires = DateTimeOffset.FromUnixTimeMilliseconds((long)(c.GetProperty("Expiration").GetDouble() * 1000));
            Console.WriteLine($"export AWS_ACCESS_KEY_ID={c.GetProperty("AccessKeyId").GetString()}");
            Console.WriteLine($"export AWS_SECRET_ACCESS_KEY={c.GetProperty("SecretAccessKey").GetString()}");
            Console.WriteLine($"export AWS_SESSION_TOKEN={c.GetProperty("SessionToken").GetString()}");
            Console.WriteLine($"# expires {expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}");
            return 0;
        }));
        return command;
    }

    /// <summary>Prints one evaluation result; returns whether it was a denial.</summary>
    private static bool Print(string principal, XElement result)
    {
        string? Value(XElement e, string name) => e.Elements().FirstOrDefault(x => x.Name.LocalName == name)?.Value;
        var action = Value(result, "EvalActionName")!;
        var resource = Value(result, "EvalResourceName")!;
        var decision = Value(result, "EvalDecision")!;
        var details = result.Elements().FirstOrDefault(e => e.Name.LocalName == "EvalDecisionDetails")?.Elements()
            .ToDictionary(e => Value(e, "key")!, e => Value(e, "value")!) ?? [];
        var reason = decision switch
        {
            "allowed" => "allowed by:",
            "explicitDeny" => "denied with an explicit deny in:",
            _ when details.GetValueOrDefault("IAM Policy") == "allowed" && details.GetValueOrDefault("Resource Policy") == "implicitDeny"
                => $"denied because no resource-based policy allows the {action} action (a key policy or trust policy must allow the caller, or delegate to its account)",
            _ => $"denied because no identity-based policy allows the {action} action",
        };
        Console.WriteLine($"{action} on {resource} by {principal}: {decision}");
        Console.WriteLine($"  {reason}");
        foreach (var statement in result.Elements().Where(e => e.Name.LocalName == "MatchedStatements").Elements())
        {
            var start = statement.Elements().First(e => e.Name.LocalName == "StartPosition");
            var end = statement.Elements().First(e => e.Name.LocalName == "EndPosition");
            var prefix = decision == "allowed" || decision == "explicitDeny" ? "" : "matched, but not enough: ";
            Console.WriteLine($"    {prefix}{Value(statement, "SourcePolicyType")} policy {Value(statement, "SourcePolicyId")}, statement at line {Value(start, "Line")}, column {Value(start, "Column")} (to line {Value(end, "Line")})");
        }

        return decision != "allowed";
    }

    private static void Members(List<KeyValuePair<string, string>> parameters, string name, IEnumerable<string> values)
    {
        var i = 0;
        foreach (var value in values)
        {
            parameters.Add(new($"{name}.member.{++i}", value));
        }
    }
}
