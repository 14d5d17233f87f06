// Each suppression here is scoped to one member or type, with the reason the rule is wrong there
// (policy: docs/contributing.md). Add one only with a Justification that holds for that place.
using System.Diagnostics.CodeAnalysis;

[assembly: SuppressMessage("Reliability", "CA2000", Scope = "member", Target = "~M:Coffer.Cli.Commands.CofferHttp.CreateClient~System.Net.Http.HttpClient", Justification = "The handler is owned by the HttpClient, which the caller disposes.")]
