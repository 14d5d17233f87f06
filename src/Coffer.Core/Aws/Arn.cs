using System.Diagnostics.CodeAnalysis;

namespace Coffer.Core.Aws;

/// <summary>An Amazon Resource Name: <c>arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE</c>.</summary>
public readonly record struct Arn(string Partition, string Service, string Region, string Account, string Resource)
{
    public static Arn For(string service, string region, string account, string resource) =>
        new(Aws.Partition.ForRegion(region), service, region, account, resource);

    /// <summary>A global ARN (IAM, STS): no region field; the partition follows the caller's region.</summary>
    public static Arn Global(string service, string callerRegion, string account, string resource) =>
        new(Aws.Partition.ForRegion(callerRegion), service, "", account, resource);

    public static bool TryParse(string? text, [NotNullWhen(true)] out Arn? arn)
    {
        arn = null;
        if (text is null || !text.StartsWith("arn:", StringComparison.Ordinal))
        {
            return false;
        }

        var parts = text.Split(':', 6);
        if (parts.Length != 6 || parts[1].Length == 0 || parts[2].Length == 0)
        {
            return false;
        }

        arn = new Arn(parts[1], parts[2], parts[3], parts[4], parts[5]);
        return true;
    }

    public override string ToString() => $"arn:{Partition}:{Service}:{Region}:{Account}:{Resource}";
}
