using Coffer.Core.Audit;
using Coffer.Core.Crypto;
using Microsoft.Extensions.Logging;

namespace Coffer.Server.Hosting;

/// <summary>Opens the keyed audit chain when the root key becomes available (at start or on
/// unseal), checks it against its anchor, and says loudly what it found.</summary>
internal static class AuditStartup
{
    /// <summary>The error code the unseal endpoint answers with when the log does not match its anchor.</summary>
    public const string MismatchErrorCode = "AuditAnchorMismatchException";

    public static async Task OpenAsync(CofferServices services, RootKey root, CofferServerOptions options, ILogger logger)
    {
        var keys = AuditKeys.Derive(root);
        try
        {
            var (outcome, finding) = await AuditAnchoring.OpenAsync(
                services.Store, services.AuditChain, keys, options.AcceptAuditAnchorMismatch, services.AccountId, services.Time.GetUtcNow());
            switch (outcome)
            {
                case AnchorOutcome.FirstAnchored:
                    Log.AuditFirstAnchored(logger, services.AuditChain.KeyedFrom);
                    break;
                case AnchorOutcome.Reanchored:
                    Log.AuditReanchored(logger, finding!.Message);
                    break;
                default:
                    Log.AuditAnchorMatched(logger, finding?.Sequence, services.AuditChain.KeyedFrom);
                    break;
            }
        }
        catch (AuditAnchorException e)
        {
            Log.AuditAnchorMismatch(logger, e.Finding.Message);
            keys.Dispose();
            throw;
        }
    }
}
