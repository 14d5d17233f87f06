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

/// <summary>Errors that every service shares.</summary>
public static class CommonErrors
{
    public static CofferException Validation(string message) => new("ValidationException", message);

    public static CofferException AccessDenied(string message) => new("AccessDeniedException", message);

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
