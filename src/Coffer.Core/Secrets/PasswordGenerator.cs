using System.Security.Cryptography;

namespace Coffer.Core.Secrets;

public sealed record PasswordOptions
{
    public long PasswordLength { get; init; } = 32;

    public string ExcludeCharacters { get; init; } = "";

    public bool ExcludeNumbers { get; init; }

    public bool ExcludePunctuation { get; init; }

    public bool ExcludeUppercase { get; init; }

    public bool ExcludeLowercase { get; init; }

    public bool IncludeSpace { get; init; }

    public bool RequireEachIncludedType { get; init; } = true;
}

/// <summary>GetRandomPassword: uniform choices from the allowed characters, with at least one of each
/// included type when asked, placed at random positions.</summary>
public static class PasswordGenerator
{
    public const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    public static string Generate(PasswordOptions options)
    {
        var classes = new List<string>();
        void Add(bool excluded, string chars)
        {
            var allowed = new string([.. chars.Where(c => !options.ExcludeCharacters.Contains(c))]);
            if (!excluded && allowed.Length > 0)
            {
                classes.Add(allowed);
            }
        }

        Add(options.ExcludeUppercase, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
        Add(options.ExcludeLowercase, "abcdefghijklmnopqrstuvwxyz");
        Add(options.ExcludeNumbers, "0123456789");
        Add(options.ExcludePunctuation, Punctuation);
        var required = classes.Count;
        Add(!options.IncludeSpace, " ");
        if (classes.Count == 0)
        {
            throw SecretsErrors.InvalidParameter("The password can't be generated: every character type is excluded.");
        }

        if (options.RequireEachIncludedType && options.PasswordLength < required)
        {
            throw SecretsErrors.InvalidParameter($"Password length is too short based on the required types: it must be at least {required} to include one of each.");
        }

        var all = string.Concat(classes);
        var password = new char[options.PasswordLength];
        for (var i = 0; i < password.Length; i++)
        {
            password[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        }

        if (options.RequireEachIncludedType)
        {
            // One character of each required type, at distinct random positions.
            var positions = Enumerable.Range(0, password.Length).ToArray();
            RandomNumberGenerator.Shuffle(positions.AsSpan());
            for (var t = 0; t < required; t++)
            {
                password[positions[t]] = classes[t][RandomNumberGenerator.GetInt32(classes[t].Length)];
            }
        }

        return new string(password);
    }
}
