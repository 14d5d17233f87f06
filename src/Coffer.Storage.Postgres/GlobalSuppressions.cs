// Each suppression here is scoped to one member or type, with the reason the rule is wrong there
// (policy: docs/contributing.md). Add one only with a Justification that holds for that place.
using System.Diagnostics.CodeAnalysis;

[assembly: SuppressMessage("Design", "CA1031", Scope = "member", Target = "~M:Coffer.Storage.Postgres.PostgresStore.RunBatchAsync(System.Collections.Generic.List{Coffer.Storage.Sql.WriteJob})~System.Threading.Tasks.Task", Justification = "The writer loop fails each job with its own exception (retryable when the database's) instead of dying.")]
[assembly: SuppressMessage("Design", "CA1031", Scope = "member", Target = "~M:Coffer.Storage.Postgres.PostgresStore.RunRecordsAsync(System.Collections.Generic.List{Coffer.Storage.Sql.WriteJob})~System.Threading.Tasks.Task", Justification = "The writer loop refuses each record with the batch's own exception (retryable when the database's) instead of dying.")]
[assembly: SuppressMessage("Design", "CA1031", Scope = "member", Target = "~M:Coffer.Storage.Postgres.PostgresStore.FlushLoopAsync~System.Threading.Tasks.Task", Justification = "The flusher refuses the records it could not make durable with the flush's own exception instead of dying.")]
