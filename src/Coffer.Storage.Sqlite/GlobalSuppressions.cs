// Each suppression here is scoped to one member or type, with the reason the rule is wrong there
// (policy: docs/contributing.md). Add one only with a Justification that holds for that place.
using System.Diagnostics.CodeAnalysis;

[assembly: SuppressMessage("Design", "CA1031", Scope = "member", Target = "~M:Coffer.Storage.Sqlite.SqliteStore.RunBatch(System.Collections.Generic.List{Coffer.Storage.Sql.WriteJob})", Justification = "The writer loop fails each job with its own exception (job.Fail) instead of dying; the caller sees the fault.")]
[assembly: SuppressMessage("Reliability", "CA2000", Scope = "member", Target = "~M:Coffer.Storage.Sqlite.SqliteStore.#ctor(System.String,Microsoft.Data.Sqlite.SqliteConnection,Coffer.Core.Audit.AuditChainKeeper,System.String)", Justification = "The writer's connection is owned by its session, which DisposeAsync disposes.")]
[assembly: SuppressMessage("Reliability", "CA2000", Scope = "member", Target = "~M:Coffer.Storage.Sqlite.SqliteStore.Read``1(System.Func{Coffer.Core.Storage.IStoreSession,``0})~``0", Justification = "Reader sessions go back to the pool after the read and are disposed with the store.")]
[assembly: SuppressMessage("Security", "CA2100", Scope = "member", Target = "~M:Coffer.Storage.Sqlite.SqliteStore.OpenConnection(System.Boolean)~Microsoft.Data.Sqlite.SqliteConnection", Justification = "One of two constant PRAGMA texts.")]
