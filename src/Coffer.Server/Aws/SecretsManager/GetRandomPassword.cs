using Coffer.Core.Secrets;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Aws.SecretsManager;

public sealed record GetRandomPasswordRequest(
    long? PasswordLength,
    string? ExcludeCharacters,
    bool? ExcludeNumbers,
    bool? ExcludePunctuation,
    bool? ExcludeUppercase,
    bool? ExcludeLowercase,
    bool? IncludeSpace,
    bool? RequireEachIncludedType);

public sealed record GetRandomPasswordResponse(string RandomPassword);

public static class GetRandomPassword
{
    public static JsonOperation Operation { get; } = JsonOperation.Create(
        "GetRandomPassword", static () => SecretsManagerJson.Default.GetRandomPasswordRequest, static () => SecretsManagerJson.Default.GetRandomPasswordResponse,
        async (s, call, r, ct) => new GetRandomPasswordResponse(await s.Secrets.GetRandomPasswordAsync(call, new PasswordOptions
        {
            PasswordLength = r.PasswordLength ?? 32,
            ExcludeCharacters = r.ExcludeCharacters ?? "",
            ExcludeNumbers = r.ExcludeNumbers == true,
            ExcludePunctuation = r.ExcludePunctuation == true,
            ExcludeUppercase = r.ExcludeUppercase == true,
            ExcludeLowercase = r.ExcludeLowercase == true,
            IncludeSpace = r.IncludeSpace == true,
            RequireEachIncludedType = r.RequireEachIncludedType != false,
        }, ct)));
}
