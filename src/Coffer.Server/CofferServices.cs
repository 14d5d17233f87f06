using Coffer.Core.Access;
using Coffer.Core.Audit;
using Coffer.Core.Crypto;
using Coffer.Core.Events;
using Coffer.Core.Functions;
using Coffer.Core.Identity;
using Coffer.Core.Kms;
using Coffer.Core.Parameters;
using Coffer.Core.Pipeline;
using Coffer.Core.Secrets;
using Coffer.Core.Storage;
using Coffer.Server.Rotation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coffer.Server;

/// <summary>The domain services one server runs, made once at start and shared by every request.</summary>
public sealed class CofferServices
{
    public CofferServices(ICofferStore store, Keyring keyring, TimeProvider time, string accountId, AuditChainKeeper? auditChain = null, ILoggerFactory? loggerFactory = null)
    {
        loggerFactory ??= NullLoggerFactory.Instance;
        Store = store;
        AuditChain = auditChain ?? new AuditChainKeeper(null);
        Keyring = keyring;
        Time = time;
        AccountId = accountId;
        Credentials = new CredentialStore(store, keyring);
        var policies = new PolicyCache();
        Identities = new IdentityResolver(store, policies, Credentials);
        PolicyAuthorizer = new PolicyAuthorizer(Identities, policies);
        Authorizer = PolicyAuthorizer;
        Audit = new AuditLog(store);
        Pipeline = new CallPipeline(Audit, loggerFactory.CreateLogger<CallPipeline>());
        Trail = new AuditTrailService(store, Authorizer);
        Changes = new GenerationCheck(store);
        Reads = new ReadCache(store, Changes);
        if (Changes.PerRequest)
        {
            // On a store one process writes, the services evict exactly what their own writes make
            // stale; on a shared store another node's change is learnt at the start of a request.
            Changes.Changed += topic =>
            {
                if (topic is StoreChange.Credentials || StoreChange.IsAll(topic))
                {
                    Credentials.Clear();
                }

                if (topic is StoreChange.Identities || StoreChange.IsAll(topic))
                {
                    Identities.Invalidate();
                }
            };
        }

        Keys = new KeyService(store, keyring, Authorizer, Audit, time, Reads);
        Functions = new FunctionService(store, Authorizer, Audit, time, RotationFunctions.BuiltIns);
        Secrets = new SecretService(store, Keys, Authorizer, Audit, Pipeline, time, new RotationFunctions(this), Reads, loggerFactory.CreateLogger<SecretService>());
        Parameters = new ParameterService(store, Keys, Authorizer, Audit, time, Reads, Secrets);
        Rules = new RuleService(store, Keys, Authorizer, Audit, time);
        Identity = new IdentityService(store, Authorizer, Audit, Credentials, Identities, time);
        Sessions = new SessionService(store, PolicyAuthorizer, Audit, Credentials, time);
        Simulator = new PolicySimulator(store, PolicyAuthorizer, Identities, [new KeyPolicyLocator(store), new SecretPolicyLocator(store)]);
    }

    public ICofferStore Store { get; }

    /// <summary>What every cache follows to learn of changes; a request calls its <see cref="GenerationCheck.CatchUpAsync"/> before anything cached is used.</summary>
    public GenerationCheck Changes { get; }

    /// <summary>The hot reads' records, cached while the store says nothing of theirs changed.</summary>
    public ReadCache Reads { get; }

    public Keyring Keyring { get; }

    public TimeProvider Time { get; }

    /// <summary>The account made at init (or the dev account).</summary>
    public string AccountId { get; }

    public CredentialStore Credentials { get; }

    public IAuthorizer Authorizer { get; }

    /// <summary>The authorizer as IAM policy evaluation, for simulations and explanations.</summary>
    public PolicyAuthorizer PolicyAuthorizer { get; }

    /// <summary>Resolved identity policies, cached until the next IAM change.</summary>
    public IdentityResolver Identities { get; }

    public IdentityService Identity { get; }

    public SessionService Sessions { get; }

    public PolicySimulator Simulator { get; }

    public AuditLog Audit { get; }

    /// <summary>The one way into the domain: every entry point runs its calls through it.</summary>
    public CallPipeline Pipeline { get; }

    /// <summary>The audit trail as CloudTrail's LookupEvents serves it.</summary>
    public AuditTrailService Trail { get; }

    /// <summary>The audit chain's key and anchor, the same the store appends with.</summary>
    public AuditChainKeeper AuditChain { get; }

    public KeyService Keys { get; }

    public ParameterService Parameters { get; }

    public FunctionService Functions { get; }

    public SecretService Secrets { get; }

    /// <summary>EventBridge's rules, targets, connections and API destinations.</summary>
    public RuleService Rules { get; }

    /// <summary>Moves old audit records to sealed archives; none in dev mode, which keeps nothing on disk.</summary>
    public AuditRetention? Retention { get; set; }

    /// <summary>Forgets every in-memory cache (after dev mode's reset).</summary>
    public void ClearCaches()
    {
        Credentials.Clear();
        Identities.Invalidate();
        Keys.ClearCache();
    }

    /// <summary>Runs whatever scheduled work is due now; returns how many actions it took.</summary>
    public async Task<int> RunDueWorkAsync(CancellationToken ct)
    {
        // A scheduled round is a request too: what it reads through the caches must be current.
        await Changes.CatchUpAsync(ct);
        return await Keys.RunDueWorkAsync(ct)
            + await Parameters.RunDueWorkAsync(ct)
            + await Secrets.RunDueWorkAsync(ct)
            + await Sessions.DeleteExpiredAsync(ct)
            + (Retention is null ? 0 : await Retention.RunAsync(ct));
    }
}
