using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Coffer.Core;
using Coffer.Core.Aws;
using Coffer.Core.Identity;
using Coffer.Core.Pipeline;
using Coffer.Core.Secrets;
using Npgsql;

namespace Coffer.Server.Rotation;

/// <summary>
/// The built-in PostgreSQL rotation functions, doing what AWS's published templates do.
/// Single user: the user changes its own password, and the old one stops working at once.
/// Alternating users: the master secret (<c>masterarn</c>) sets the password of the user and of
/// its <c>_clone</c> in turn, creating the clone with the user's grants the first time, so the
/// previous credentials keep working until the next rotation. It reads and writes the secret
/// through the Secrets Manager service as its own principal (the function's ARN), audited like any
/// caller. Passwords are set as SCRAM-SHA-256 verifiers, so no password is ever sent in SQL text.
/// </summary>
internal sealed class PostgresRotator(CofferServices services, bool alternatingUsers)
{
    public const string SingleUserName = "coffer-postgres-single-user";
    public const string AlternatingUsersName = "coffer-postgres-alternating-users";
    private const string ExcludedPasswordCharacters = ":/@\"'\\";

    public async Task RunAsync(RotationEvent e, CancellationToken ct)
    {
        var metadata = await CallAsync(e, "DescribeSecret", call => services.Secrets.DescribeSecretAsync(call, e.SecretId, ct), ct);
        if (metadata.RotationEnabled == false)
        {
            throw new RotationFunctionException($"Secret {e.SecretId} is not enabled for rotation.");
        }

        var version = metadata.FindVersion(e.ClientRequestToken) ?? throw new RotationFunctionException($"Secret version {e.ClientRequestToken} has no stage for rotation of secret {e.SecretId}.");
        if (version.Stages.Contains(SecretStages.Current))
        {
            return;
        }

        if (!version.Stages.Contains(SecretStages.Pending))
        {
            throw new RotationFunctionException($"Secret version {e.ClientRequestToken} not set as AWSPENDING for rotation of secret {e.SecretId}.");
        }

        switch (e.Step)
        {
            case "createSecret":
                await CreateAsync(e, ct);
                break;
            case "setSecret":
                await SetAsync(e, ct);
                break;
            case "testSecret":
                await TestAsync(e, ct);
                break;
            case "finishSecret":
                await FinishAsync(e, metadata, ct);
                break;
            default:
                throw new RotationFunctionException($"Invalid step parameter {e.Step} for secret {e.SecretId}.");
        }
    }

    private async Task CreateAsync(RotationEvent e, CancellationToken ct)
    {
        var current = await GetAsync(e, e.SecretId, SecretStages.Current, null, ct);
        try
        {
            await GetAsync(e, e.SecretId, SecretStages.Pending, e.ClientRequestToken, ct);
            return;
        }
        catch (CofferException x) when (x.Code == Core.Secrets.SecretsErrors.Codes.ResourceNotFound)
        {
            // No pending value yet: make one.
        }

        var username = alternatingUsers ? AlternateUsername(current.Username) : current.Username;
        var password = PasswordGenerator.Generate(new PasswordOptions { ExcludeCharacters = ExcludedPasswordCharacters });
        await CallAsync(e, "PutSecretValue", call => services.Secrets.PutSecretValueAsync(call, e.SecretId, e.ClientRequestToken, SecretValue.FromString(current.With(username, password)), [SecretStages.Pending], ct), ct);
    }

    private async Task SetAsync(RotationEvent e, CancellationToken ct)
    {
        var current = await GetAsync(e, e.SecretId, SecretStages.Current, null, ct);
        var pending = await GetAsync(e, e.SecretId, SecretStages.Pending, e.ClientRequestToken, ct);
        if (await TryConnectAsync(pending, ct) is { } already)
        {
            await already.DisposeAsync();
            return;
        }

        var expectedUser = alternatingUsers ? AlternateUsername(current.Username) : current.Username;
        if (pending.Username != expectedUser || pending.Host != current.Host)
        {
            throw new RotationFunctionException($"The pending secret names user {pending.Username} on {pending.Host}; this rotation may only change {expectedUser} on {current.Host}.");
        }

        await using var connection = alternatingUsers
            ? await MasterConnectionAsync(e, current, ct)
            : await TryConnectAsync(current, ct) ?? await PreviousConnectionAsync(e, pending, ct)
                ?? throw new RotationFunctionException($"Unable to log into the database with the previous, current, or pending secret of secret {e.SecretId}.");
        var role = QuoteIdentifier(pending.Username);
        var verifier = ScramVerifier(await PasswordAsync(e, ct));
        if (alternatingUsers && !await RoleExistsAsync(connection, pending.Username, ct))
        {
            await ExecuteAsync(connection, $"CREATE ROLE {role} WITH LOGIN PASSWORD '{verifier}'", ct);
            await ExecuteAsync(connection, $"GRANT {QuoteIdentifier(current.Username)} TO {role}", ct);
        }
        else
        {
            await ExecuteAsync(connection, $"ALTER ROLE {role} WITH PASSWORD '{verifier}'", ct);
        }
    }

    private async Task TestAsync(RotationEvent e, CancellationToken ct)
    {
        var pending = await GetAsync(e, e.SecretId, SecretStages.Pending, e.ClientRequestToken, ct);
        await using var connection = await TryConnectAsync(pending, ct)
            ?? throw new RotationFunctionException($"Unable to log into the database with the pending secret of secret {e.SecretId}.");
        await ExecuteAsync(connection, "SELECT now()", ct);
    }

    private async Task FinishAsync(RotationEvent e, Secret metadata, CancellationToken ct)
    {
        var current = metadata.WithStage(SecretStages.Current);
        await CallAsync(e, "UpdateSecretVersionStage", call => services.Secrets.UpdateSecretVersionStageAsync(call, e.SecretId, SecretStages.Current, current?.VersionId, e.ClientRequestToken, ct), ct);
    }

    /// <summary>Single user: when the current password no longer works (a rotation set it but did not finish), try the previous one.</summary>
    private async Task<NpgsqlConnection?> PreviousConnectionAsync(RotationEvent e, DatabaseSecret pending, CancellationToken ct)
    {
        DatabaseSecret previous;
        try
        {
            previous = await GetAsync(e, e.SecretId, SecretStages.Previous, null, ct);
        }
        catch (Exception x) when (x is CofferException or RotationFunctionException)
        {
            return null;
        }

        return previous.Username == pending.Username && previous.Host == pending.Host ? await TryConnectAsync(previous, ct) : null;
    }

    private async Task<NpgsqlConnection> MasterConnectionAsync(RotationEvent e, DatabaseSecret current, CancellationToken ct)
    {
        // As AWS's template: the current credentials must work, against a confused deputy.
        var check = await TryConnectAsync(current, ct) ?? throw new RotationFunctionException($"Unable to log into the database with the current credentials of secret {e.SecretId}.");
        await check.DisposeAsync();

        var masterArn = current.MasterArn ?? throw new RotationFunctionException($"The current secret of {e.SecretId} has no 'masterarn': the alternating-users strategy needs the master secret's ARN.");
        var master = await GetAsync(e, masterArn, SecretStages.Current, null, ct);
        if (master.Host != current.Host)
        {
            throw new RotationFunctionException($"The master secret's host {master.Host} is not the host {current.Host} of secret {e.SecretId}.");
        }

        return await TryConnectAsync(master, ct) ?? throw new RotationFunctionException($"Unable to log into the database with the master secret {masterArn}.");
    }

    private async Task<string> PasswordAsync(RotationEvent e, CancellationToken ct)
    {
        var value = await CallAsync(e, "GetSecretValue", call => services.Secrets.GetSecretValueAsync(call, e.SecretId, e.ClientRequestToken, SecretStages.Pending, ct), ct);
        return JsonNode.Parse(value.Value.Text!)!["password"]!.ToString();
    }

    private async Task<DatabaseSecret> GetAsync(RotationEvent e, string secretId, string stage, string? versionId, CancellationToken ct)
    {
        var result = await CallAsync(e, "GetSecretValue", call => services.Secrets.GetSecretValueAsync(call, secretId, versionId, stage, ct), ct);
        return DatabaseSecret.Parse(result.Value, stage);
    }

    /// <summary>One Secrets Manager call made by this function, as its own principal, audited as any call is.</summary>
    private async Task<T> CallAsync<T>(RotationEvent e, string operation, Func<Call, Task<T>> action, CancellationToken ct)
    {
        if (!Arn.TryParse(e.SecretId, out var arn))
        {
            throw new InvalidOperationException("The rotation event names no secret ARN.");
        }

        var function = FunctionArn(arn.Value);
        var principal = new Principal(PrincipalType.Service, arn.Value.Account, function, alternatingUsers ? AlternatingUsersName : SingleUserName, null);
        var request = new CallRequest(principal, arn.Value.Region, Core.Secrets.SecretService.EventSource, operation, RequestOrigin.Internal(Guid.NewGuid().ToString(), services.Time.GetUtcNow()))
        {
            RequestParameters = new JsonObject { ["secretId"] = e.SecretId, ["clientRequestToken"] = e.ClientRequestToken },
        };
        return await services.Pipeline.RunOrThrowAsync(request, (call, _) => action(call), ct);
    }

    private string FunctionArn(Arn secretArn) =>
        Core.Functions.FunctionArns.For(secretArn.Region, secretArn.Account, alternatingUsers ? AlternatingUsersName : SingleUserName);

    private static async Task<NpgsqlConnection?> TryConnectAsync(DatabaseSecret secret, CancellationToken ct)
    {
        var connection = secret.Connection();
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch (Exception x) when (x is NpgsqlException or SocketException or TimeoutException)
        {
            await connection.DisposeAsync();
            return null;
        }
    }

    private static async Task<bool> RoleExistsAsync(NpgsqlConnection connection, string role, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT 1 FROM pg_roles WHERE rolname = $1", connection) { Parameters = { new() { Value = role } } };
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    /// <summary>Runs a statement; a failure is reported by its SQLSTATE only, as the text could quote the statement.</summary>
    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        try
        {
            await using var cmd = new NpgsqlCommand(sql, connection);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException x)
        {
            throw new RotationFunctionException($"The database refused the statement (SQLSTATE {x.SqlState}).");
        }
    }

    /// <summary>AWS's templates' alternate user: NAME_clone for NAME, and back.</summary>
    internal static string AlternateUsername(string username)
    {
        const string clone = "_clone";
        if (username.EndsWith(clone, StringComparison.Ordinal))
        {
            return username[..^clone.Length];
        }

        return username.Length + clone.Length > 63
            ? throw new RotationFunctionException($"Unable to clone user {username}: the clone's name would be longer than PostgreSQL's 63 characters.")
            : username + clone;
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A SCRAM-SHA-256 verifier (RFC 5802, PostgreSQL's format), which PostgreSQL stores as given.</summary>
    internal static string ScramVerifier(string password)
    {
        const int iterations = 4096;
        var salt = RandomNumberGenerator.GetBytes(16);
        var normalized = password.All(char.IsAscii) ? password : password.Normalize(NormalizationForm.FormKC);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(normalized), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        var verifier = $"SCRAM-SHA-256${iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(SHA256.HashData(clientKey))}:{Convert.ToBase64String(serverKey)}";
        CryptographicOperations.ZeroMemory(salted);
        return verifier;
    }
}
