namespace Coffer.Client;

/// <summary>
/// An error answered by the service, with AWS's error code (see <see cref="CofferErrorCodes"/>).
/// Its message is the service's, which never carries a secret value.
/// </summary>
public sealed class CofferClientException : Exception
{
    public CofferClientException(string errorCode, int statusCode, string message, Exception? inner = null)
        : base($"{errorCode}: {message}", inner)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    public CofferClientException()
        : this("Unknown", 0, "")
    {
    }

    public CofferClientException(string message)
        : this("Unknown", 0, message)
    {
    }

    public CofferClientException(string message, Exception inner)
        : this("Unknown", 0, message, inner)
    {
    }

    /// <summary>AWS's error code, such as <c>ResourceNotFoundException</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>The HTTP status of the answer.</summary>
    public int StatusCode { get; }

    /// <summary>Whether this is an outcome a caller expects (not found, denied, cannot decrypt) rather than a fault.</summary>
    public bool IsExpected => StatusCode is >= 400 and < 500 && ErrorCode is not CofferErrorCodes.Throttling and not CofferErrorCodes.ThrottlingException;
}

/// <summary>AWS's error codes that the client tells apart.</summary>
public static class CofferErrorCodes
{
    public const string ResourceNotFound = "ResourceNotFoundException";
    public const string ParameterNotFound = "ParameterNotFound";
    public const string AccessDenied = "AccessDeniedException";
    public const string InvalidCiphertext = "InvalidCiphertextException";
    public const string DecryptionFailure = "DecryptionFailure";
    public const string Throttling = "Throttling";
    public const string ThrottlingException = "ThrottlingException";
    public const string VersionStageNotFound = "VersionStageNotFound";

    /// <summary>The answer could not be read (not JSON, or no value): a fault.</summary>
    public const string InvalidResponse = "InvalidResponse";
}
