namespace Coffer.Core.Identity;

/// <summary>IAM's and STS's errors, with their query-protocol codes and AWS's wording.</summary>
public static class IdentityErrors
{
    public static CofferException NoSuchEntity(string message) => new("NoSuchEntity", message);

    public static CofferException NoSuchEntity(IamEntityKind kind, string name) =>
        NoSuchEntity($"The {Noun(kind)} with name {name} cannot be found.");

    public static CofferException AlreadyExists(IamEntityKind kind, string name) =>
        new("EntityAlreadyExists", $"{char.ToUpperInvariant(Noun(kind)[0])}{Noun(kind)[1..]} with name {name} already exists.");

    public static CofferException PolicyAlreadyExists(string name, string arn) =>
        new("EntityAlreadyExists", $"A policy called {name} already exists. Duplicate names are not allowed. ({arn})");

    public static CofferException PolicyNotFound(string arn) => NoSuchEntity($"Policy {arn} does not exist or is not attachable.");

    public static CofferException DeleteConflict(string message) => new("DeleteConflict", message);

    public static CofferException LimitExceeded(string message) => new("LimitExceeded", message);

    public static CofferException MalformedPolicy(string message) => new("MalformedPolicyDocument", message);

    public static CofferException InvalidInput(string message) => new("InvalidInput", message);

    public static CofferException Validation(string message) => new("ValidationError", message);

    public static CofferException PasswordPolicyViolation(string message) => new("PasswordPolicyViolation", message);

    public static CofferException LoginProfileExists(string userName) => new("EntityAlreadyExists", $"Login Profile for user {userName} already exists.");

    public static CofferException NoLoginProfile(string userName) => NoSuchEntity($"Login Profile for User {userName} cannot be found.");

    public static CofferException InvalidUserType() => new("InvalidUserType", "Only IAM users can change their own password.");

    public static CofferException WrongOldPassword() => CommonErrors.AccessDenied("The old password is incorrect.");

    public static string Noun(IamEntityKind kind) => kind switch
    {
        IamEntityKind.User => "user",
        IamEntityKind.Group => "group",
        _ => "role",
    };
}
