using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Coffer.Core.Audit;
using Coffer.Core.Crypto;
using Coffer.Core.Identity;
using Coffer.Core.Storage;

namespace Coffer.Server.Hosting;

/// <summary>Root credentials, shown once when made.</summary>
public sealed record RootCredentials(string AccountId, string AccessKeyId, string SecretAccessKey)
{
    public override string ToString() => $"RootCredentials {{ AccountId = {AccountId}, AccessKeyId = {AccessKeyId}, SecretAccessKey = (redacted) }}";

    /// <summary>The AWS shared-credentials file form, so that AWS_SHARED_CREDENTIALS_FILE can point at it.</summary>
    public string ToCredentialsFile() =>
        $"# Coffer root credentials for account {AccountId}. Keep this file secret; it is shown once.\n[default]\naws_access_key_id = {AccessKeyId}\naws_secret_access_key = {SecretAccessKey}\n";
}

/// <summary>
/// A Coffer data directory: <c>coffer.db</c>, the sealed root key (<c>root.key</c> or
/// <c>root.sealed</c>), <c>tls/</c> (see <see cref="TlsFiles"/>), the audit log's anchor (<c>audit.anchor</c>)
/// and, once, <c>root-credentials</c>. The directory is created owner-only.
/// </summary>
public static class DataDirectory
{
    public const string CredentialsFileName = "root-credentials";
    private const string AccountKey = "account_id";

    public static bool IsInitialized(string dataDir) => RootKeySeal.Detect(dataDir) is not null;

    /// <summary>Makes a fresh data directory: root key, database, account, root access key, and a CA
    /// with a server certificate for the host and <paramref name="tlsNames"/>.
    /// <paramref name="store"/>: a PostgreSQL URL to keep state in rather than coffer.db; it must hold
    /// no installation yet (further nodes copy this data directory instead of initializing).</summary>
    public static async Task<RootCredentials> InitializeAsync(string dataDir, string? accountId, string? passphrase, Argon2Parameters? cost = null, IEnumerable<string>? tlsNames = null, string? store = null)
    {
        if (accountId is not null && !IsAccountId(accountId))
        {
            throw new ArgumentException("An account id is 12 digits.", nameof(accountId));
        }

        // Makes the directory if needed, and keeps a running server (or another init) out of it.
        using var held = DataDirectoryLock.Acquire(dataDir);
        if (IsInitialized(dataDir))
        {
            throw new InvalidOperationException($"{dataDir} is already initialized.");
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        accountId ??= NewAccountId();
        using var keyring = new Keyring();
        keyring.Unseal(RootKey.Generate());
        await using var state = StoreFactory.Open(store, dataDir, dev: false, auditChain: null);
        if (await HasAccountAsync(state))
        {
            throw new InvalidOperationException("The store already holds an installation: start further nodes with a copy of the first node's data directory.");
        }

        var credentials = await CreateRootAsync(state, keyring, accountId, null, null, TimeProvider.System.GetUtcNow());
        TlsFiles.Issue(dataDir, tlsNames ?? [], TimeProvider.System.GetUtcNow()).Dispose();

        // A fresh log is keyed from its first record and anchored from the start, so a missing
        // anchor later means someone removed it.
        using (var auditKeys = AuditKeys.Derive(keyring.Root))
        {
            AuditAnchorFile.Write(dataDir, auditKeys, new AuditAnchor(1, 0, AuditChain.Genesis));
        }

        // The key is written last: a directory with a root key is an initialized one.
        if (passphrase is null)
        {
            RootKeySeal.WriteKeyFile(dataDir, keyring.Root);
        }
        else
        {
            RootKeySeal.WritePassphraseSealed(dataDir, keyring.Root, passphrase, cost);
        }

        SecureFile.WriteAllText(Path.Combine(dataDir, CredentialsFileName), credentials.ToCredentialsFile());
        return credentials;
    }

    /// <summary>Records the account and makes its root access key (the given one, or a new one).</summary>
    public static async Task<RootCredentials> CreateRootAsync(ICofferStore store, Keyring keyring, string accountId, string? accessKeyId, string? secret, DateTimeOffset now)
    {
        var credentialStore = new CredentialStore(store, keyring);
        var (record, secretKey) = credentialStore.Create(
            "AKIA", accountId, PrincipalType.Root, $"arn:aws:iam::{accountId}:root", accountId, null, now, accessKeyId, secret);
        await store.WriteAsync(async (s, ct) =>
        {
            await s.Meta.SetAsync(AccountKey, accountId, ct);
            await s.AccessKeys.InsertAsync(record, ct);
            return true;
        });
        return new RootCredentials(accountId, record.AccessKeyId, secretKey);
    }

    public static async Task<string> ReadAccountIdAsync(ICofferStore store, CancellationToken cancellationToken = default) =>
        await store.ReadAsync((s, ct) => s.Meta.GetAsync(AccountKey, ct), cancellationToken) ?? throw new InvalidDataException("The database has no account: was it initialized with 'coffer init'?");

    public static async Task<bool> HasAccountAsync(ICofferStore store, CancellationToken cancellationToken = default) =>
        await store.ReadAsync((s, ct) => s.Meta.GetAsync(AccountKey, ct), cancellationToken) is not null;

    public static bool IsAccountId(string text) => text.Length == 12 && text.All(char.IsAsciiDigit);

    public static string NewAccountId()
    {
        // Never starts with 0, so no tool mistakes it for a number and drops a digit.
        var first = RandomNumberGenerator.GetInt32(1, 10).ToString(CultureInfo.InvariantCulture);
        var sb = new StringBuilder(first);
        for (var i = 1; i < 12; i++)
        {
            sb.Append(RandomNumberGenerator.GetInt32(10).ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}
