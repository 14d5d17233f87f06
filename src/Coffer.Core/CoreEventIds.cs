namespace Coffer.Core;

/// <summary>
/// The event ids of Coffer.Core's log messages, one range per area, stable across releases so an
/// operator's alerts keep matching. The server's own messages use 1000-1999.
/// </summary>
public static class CoreEventIds
{
    // 2000-2099: the call pipeline.
    public const int InternalError = 2000;
    public const int AuditFailed = 2001;

    // 2050-2099: operations (metrics, traces, request logging).
    public const int CallEnded = 2050;

    // 4000-4099: secrets and rotation.
    public const int RotationFailed = 4000;
}
