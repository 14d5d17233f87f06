namespace Coffer.Core.Secrets;

/// <summary>The event a rotation function gets for each step, exactly as a Lambda rotation function does.</summary>
public sealed record RotationEvent(string SecretId, string ClientRequestToken, string Step);

/// <summary>Invokes rotation functions by their Lambda ARN: HTTP endpoints registered in Coffer, or
/// built-in rotators. Implemented by the host; Core knows no HTTP and no database drivers.</summary>
public interface IRotationFunctions
{
    /// <summary>Whether the ARN names a function that can be invoked.</summary>
    Task<bool> ExistsAsync(string functionArn, CancellationToken ct);

    /// <summary>Runs one step. Completes when the function succeeded; throws
    /// <see cref="RotationFunctionException"/> saying why when it did not (error answer, timeout, unreachable).</summary>
    Task InvokeAsync(string functionArn, RotationEvent rotationEvent, CancellationToken ct);
}

/// <summary>A rotation step that failed; the message says why and never holds a secret value.</summary>
public sealed class RotationFunctionException(string message, Exception? inner = null) : Exception(message, inner);
