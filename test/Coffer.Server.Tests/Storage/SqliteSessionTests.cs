using Coffer.Storage.Sql;
using Coffer.Storage.Sqlite;

namespace Coffer.Server.Tests.Storage;

/// <summary>SQLite's sessions keep each statement with its parameters and set only their values for
/// each run (issue 11): a run binds every value anew, or fails; it never binds one of the run before.</summary>
public sealed class SqliteSessionTests
{
    private const string Sql = "SELECT $a || '-' || $b";

    [Fact]
    public async Task A_reused_statement_binds_each_runs_values_and_fails_on_one_not_given_again_issue_11()
    {
        await using var store = SqliteStore.OpenMemory();
        var (first, second, third, failure, same, parameters) = await store.ReadAsync(async (s, ct) =>
        {
            var session = (SqlSession)s;
            var first = session.Command(Sql).With("$a", "x").With("$b", "y").ExecuteScalar();
            var second = session.Command(Sql).With("$b", "z").With("$a", "w").ExecuteScalar();
            var third = session.Command(Sql).With("$a", null).With("$b", "u").ExecuteScalar();
            var failure = Record.Exception(() => session.Command(Sql).With("$a", "v").ExecuteScalar());
            var command = session.Command(Sql);
            return (first, second, third, failure, ReferenceEquals(command, session.Command(Sql)), command.Parameters.Count);
        });

        Assert.Equal(("x-y", "w-z"), (first, second));
        Assert.Equal(DBNull.Value, third);
        Assert.IsType<InvalidOperationException>(failure);
        Assert.True(same);
        Assert.Equal(2, parameters);
    }
}
