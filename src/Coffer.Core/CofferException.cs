namespace Coffer.Core;

/// <summary>
/// An expected failure of a domain operation, named by its AWS error code (the error shape's name
/// in the botocore model, e.g. <c>NotFoundException</c>). The protocol adapter turns it into the
/// wire error; the status code comes from the model, not from here, so Core stays HTTP-free.
/// Messages are shown to callers: never put a secret value in one.
/// </summary>
public sealed class CofferException : Exception
{
    public CofferException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    public CofferException(string code, string message, Exception inner)
        : base(message, inner)
    {
        Code = code;
    }

    public string Code { get; }
}

/// <summary>
/// The error codes that more than one module produces or reacts to, as constants: a module that
/// tells one error from another compares with these, never with a string literal of its own.
/// </summary>
public static class ErrorCodes
{
    public const string AccessDenied = "AccessDeniedException";
    public const string Validation = "ValidationException";
    public const string Serialization = "SerializationException";
    public const string UnrecognizedClient = "UnrecognizedClientException";
    public const string InvalidSignature = "InvalidSignatureException";
    public const string IncompleteSignature = "IncompleteSignatureException";
    public const string MissingAuthenticationToken = "MissingAuthenticationTokenException";
    public const string ExpiredToken = "ExpiredTokenException";
    public const string Throttling = "ThrottlingException";
    public const string InternalFailure = "InternalFailure";
    public const string ServiceUnavailable = "ServiceUnavailable";
}

/// <summary>Errors that every service shares.</summary>
public static class CommonErrors
{
    public static CofferException Validation(string message) => new(ErrorCodes.Validation, message);

    public static CofferException AccessDenied(string message) => new(ErrorCodes.AccessDenied, message);

    /// <summary>Checks a limit that AWS enforces beyond the model's, with the model validator's wording.</summary>
    public static void RequireRange(string member, long value, long min, long max)
    {
        if (value < min)
        {
            throw Validation($"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must have value greater than or equal to {min}");
        }

        if (value > max)
        {
            throw Validation($"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must have value less than or equal to {max}");
        }
    }
}
