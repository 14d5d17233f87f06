// Each suppression here is scoped to one member or type, with the reason the rule is wrong there
// (policy: docs/contributing.md). Add one only with a Justification that holds for that place.
using System.Diagnostics.CodeAnalysis;

[assembly: SuppressMessage("Reliability", "CA2000", Scope = "member", Target = "~M:Coffer.Client.AwsWire.#ctor(Coffer.Client.CofferClientOptions)", Justification = "The handler is owned by the HttpClient (disposeHandler: true), which Dispose disposes.")]
[assembly: SuppressMessage("Usage", "CA2213", Scope = "member", Target = "~F:Coffer.Client.Configuration.CofferConfigurationProvider._reloading", Justification = "A reload in flight may still release it after Dispose; without its wait handle a SemaphoreSlim holds nothing to free.")]
[assembly: SuppressMessage("Naming", "CA1716", Scope = "member", Target = "~M:Coffer.Client.ISecretCacheHook.Get(System.Object)~System.Object", Justification = "Released public API, shaped after AWS's caching client's hook; renaming would break callers.")]
