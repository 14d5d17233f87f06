using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coffer.Core.Secrets;

public sealed partial class SecretService
{
    private readonly ILogger _logger = logger ?? NullLogger<SecretService>.Instance;

    [LoggerMessage(EventId = CoreEventIds.RotationFailed, Level = LogLevel.Error, Message = "Rotation of {Arn} failed at {Step} with an internal error; the secret's AWSCURRENT is untouched")]
    private static partial void LogRotationFailed(ILogger logger, string arn, string step, Exception exception);
}
