using Coffer.Core.Access;
using Coffer.Core.Identity;

namespace Coffer.Core.Tests.Access;

/// <summary>One row of the policy suite: who asks for what, which policies apply, and the expected decision.</summary>
public sealed record PolicyCase(string Name, Decision Expected)
{
    public const string Account = "111122223333";
    public const string OtherAccount = "444455556666";
    public const string Region = "us-east-1";
    public const string DevParameter = "arn:aws:ssm:us-east-1:111122223333:parameter/app/dev/db";
    public const string ProdParameter = "arn:aws:ssm:us-east-1:111122223333:parameter/app/prod/db";
    public const string Key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    public const string OtherKey = "arn:aws:kms:us-east-1:444455556666:key/9999abcd-12ab-34cd-56ef-1234567890ab";
    public const string Secret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf";
    public const string Role = "arn:aws:iam::111122223333:role/prod-fn";

    public static readonly Principal Alice = new(PrincipalType.IamUser, Account, $"arn:aws:iam::{Account}:user/alice", "AIDAALICE", "AKIAALICE") { Name = "alice" };
    public static readonly Principal Bob = new(PrincipalType.IamUser, Account, $"arn:aws:iam::{Account}:user/team/bob", "AIDABOB", "AKIABOB") { Name = "bob" };
    public static readonly Principal Root = new(PrincipalType.Root, Account, $"arn:aws:iam::{Account}:root", Account, "AKIAROOT");
    public static readonly Principal Session = new(PrincipalType.AssumedRole, Account, $"arn:aws:sts::{Account}:assumed-role/prod-fn/fn-1", "AROAPROD:fn-1", "ASIAFN1") { Name = "fn-1", RoleArn = Role };
    public static readonly Principal Stranger = new(PrincipalType.IamUser, OtherAccount, $"arn:aws:iam::{OtherAccount}:user/eve", "AIDAEVE", "AKIAEVE") { Name = "eve" };
    public static readonly Principal StrangerRoot = new(PrincipalType.Root, OtherAccount, $"arn:aws:iam::{OtherAccount}:root", OtherAccount, "AKIAOTHERROOT");
    public static readonly Principal Lambda = Principal.ForService("lambda.amazonaws.com", Account);

    public static readonly DateTimeOffset Now = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    public Principal Who { get; init; } = Alice;

    public string Action { get; init; } = "ssm:GetParameter";

    public string Resource { get; init; } = DevParameter;

    public IReadOnlyList<string> Identity { get; init; } = [];

    public string? ResourcePolicy { get; init; }

    public string? SessionPolicy { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Keys { get; init; }

    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    public string? SourceIp { get; init; } = "203.0.113.10";

    public bool SecureTransport { get; init; } = true;

    /// <summary>A phrase the denial's reason must contain, when it matters.</summary>
    public string? Reason { get; init; }

    public override string ToString() => Name;

    /// <summary>A policy document with the given statements.</summary>
    public static string Doc(params string[] statements) => $$"""{"Version":"2012-10-17","Statement":[{{string.Join(",", statements)}}]}""";

    public static string Allow(string action, string resource = "*", string? condition = null) => Statement("Allow", "Action", action, "Resource", resource, condition);

    public static string Deny(string action, string resource = "*", string? condition = null) => Statement("Deny", "Action", action, "Resource", resource, condition);

    public static string Statement(string effect, string actionElement, string action, string resourceElement, string resource, string? condition = null, string? principal = null) =>
        "{" + $"\"Effect\":\"{effect}\",\"{actionElement}\":{List(action)},\"{resourceElement}\":{List(resource)}"
        + (principal is null ? "" : $",\"Principal\":{principal}")
        + (condition is null ? "" : $",\"Condition\":{condition}") + "}";

    /// <summary>A resource policy statement for a principal (a JSON value such as {"AWS":"..."} or "*").</summary>
    public static string For(string principal, string effect, string action, string resource = "*", string? condition = null) =>
        Statement(effect, "Action", action, "Resource", resource, condition, principal);

    public static string AwsPrincipal(string arn) => $$"""{"AWS":"{{arn}}"}""";

    private static string List(string values) => values.StartsWith('[') ? values : $"\"{values}\"";
}
