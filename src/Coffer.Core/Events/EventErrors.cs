namespace Coffer.Core.Events;

/// <summary>EventBridge's errors, with AWS's codes (the model's error shapes). No message carries a connection's secret.</summary>
public static class EventErrors
{
    /// <summary>The codes other modules tell apart; compare with these, never with literals.</summary>
    public static class Codes
    {
        public const string ResourceNotFound = "ResourceNotFoundException";
        public const string ResourceAlreadyExists = "ResourceAlreadyExistsException";
        public const string InvalidEventPattern = "InvalidEventPatternException";
        public const string Validation = ErrorCodes.Validation;
    }

    public static CofferException RuleNotFound(string name) => new(Codes.ResourceNotFound, $"Rule {name} does not exist on EventBus default.");

    public static CofferException ConnectionNotFound(string name) => new(Codes.ResourceNotFound, $"Failed to describe the connection(s). Connection '{name}' does not exist.");

    public static CofferException DestinationNotFound(string name) => new(Codes.ResourceNotFound, $"Failed to describe the api-destination(s). An api-destination '{name}' does not exist.");

    public static CofferException ConnectionExists(string name) => new(Codes.ResourceAlreadyExists, $"Connection {name} already exists.");

    public static CofferException DestinationExists(string name) => new(Codes.ResourceAlreadyExists, $"An api-destination {name} already exists.");

    public static CofferException InvalidPattern(string reason) => new(Codes.InvalidEventPattern, "Event pattern is not valid. Reason: " + reason);

    public static CofferException Validation(string message) => new(Codes.Validation, message);

    public static CofferException BusNotFound(string bus) => new(Codes.ResourceNotFound, $"Event bus {bus} does not exist.");

    public static CofferException RuleHasTargets(string name) =>
        new(Codes.Validation, $"Rule can't be deleted since it has targets. Remove the targets of rule {name} first, or pass Force.");

    public static CofferException ConnectionInUse(string name) =>
        new(Codes.Validation, $"Connection {name} is used by an api-destination; delete the api-destination first.");
}
