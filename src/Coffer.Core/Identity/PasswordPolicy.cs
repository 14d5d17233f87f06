namespace Coffer.Core.Identity;

/// <summary>
/// The password rules IAM applies to an account that has set no password policy of its own: 8 to
/// 128 characters, at least three of the four kinds (uppercase, lowercase, digits, symbols), and
/// not the user's name. A violation says which rule failed, never the password.
/// </summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 8;

    public static void Check(string password, string userName)
    {
        if (password.Length < MinimumLength)
        {
            throw IdentityErrors.PasswordPolicyViolation($"Password should have a minimum length of {MinimumLength}");
        }

        var kinds = (password.Any(char.IsUpper) ? 1 : 0)
            + (password.Any(char.IsLower) ? 1 : 0)
            + (password.Any(char.IsDigit) ? 1 : 0)
            + (password.Any(c => !char.IsLetterOrDigit(c)) ? 1 : 0);
        if (kinds < 3)
        {
            throw IdentityErrors.PasswordPolicyViolation("Password should have at least three of: uppercase letters, lowercase letters, numbers, symbols");
        }

        if (string.Equals(password, userName, StringComparison.OrdinalIgnoreCase))
        {
            throw IdentityErrors.PasswordPolicyViolation("Password should not be the user name");
        }
    }
}
