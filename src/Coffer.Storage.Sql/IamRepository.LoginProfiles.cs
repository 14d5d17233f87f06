using Coffer.Core.Identity;

namespace Coffer.Storage.Sql;

/// <summary>Login profiles (migration 0012): the password's hash only, never the password.</summary>
internal sealed partial class IamRepository
{
    public async ValueTask<LoginProfile?> FindLoginProfileAsync(string accountId, string userName, CancellationToken cancellationToken)
    {
        await using var reader = await session.Command("SELECT user_name, user_id, password_hash, create_date, reset_required FROM iam_login_profiles WHERE account_id = $a AND name_key = $n")
            .With("$a", accountId).With("$n", Key(userName)).ReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new LoginProfile(accountId, reader.GetString(0), reader.GetString(1), reader.GetString(2), SqlExtensions.FromUnixMs(reader.GetInt64(3)), reader.GetInt64(4) != 0)
            : null;
    }

    public async ValueTask PutLoginProfileAsync(LoginProfile p, CancellationToken cancellationToken) =>
        await session.Command("""
            INSERT INTO iam_login_profiles (account_id, name_key, user_name, user_id, password_hash, create_date, reset_required)
            VALUES ($a, $n, $u, $id, $h, $c, $r)
            ON CONFLICT (account_id, name_key) DO UPDATE SET user_name = $u, user_id = $id, password_hash = $h, create_date = $c, reset_required = $r
            """)
            .With("$a", p.AccountId).With("$n", Key(p.UserName)).With("$u", p.UserName).With("$id", p.UserId).With("$h", p.PasswordHash)
            .With("$c", p.CreateDate.ToUnixTimeMilliseconds()).With("$r", p.PasswordResetRequired ? 1 : 0).NonQueryAsync(cancellationToken);

    public async ValueTask DeleteLoginProfileAsync(string accountId, string userName, CancellationToken cancellationToken) =>
        await session.Command("DELETE FROM iam_login_profiles WHERE account_id = $a AND name_key = $n")
            .With("$a", accountId).With("$n", Key(userName)).NonQueryAsync(cancellationToken);
}
