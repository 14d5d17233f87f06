using Coffer.Core;
using Coffer.Core.Audit;
using Microsoft.Extensions.Logging;

namespace Coffer.Server.Aws.Protocol;

/// <summary>Records a call's outcome for the protocol adapters; audit is fail-closed, so a call whose record cannot be written is refused.</summary>
public static class AuditCompletion
{
    public const string RefusedMessage = "The request was refused because its audit record could not be written.";

    public const string InternalMessage = "The request failed because of an internal error; the server log has the details under this request id.";

    /// <summary>Writes the record; false (and logged) if it could not be written.</summary>
    public static async Task<bool> TryCompleteAsync(AuditLog audit, ILogger logger, Call call, string? errorCode, string? errorMessage)
    {
        try
        {
            await audit.CompleteAsync(call, errorCode, errorMessage, CancellationToken.None);
            return true;
        }
        catch (Exception e)
        {
            Log.AuditFailed(logger, e, call.Origin.RequestId, call.EventName);
            return false;
        }
    }
}
