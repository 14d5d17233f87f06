namespace Coffer.Core.Aws;

/// <summary>AWS partitions: the first field of every ARN, chosen by the region's name.</summary>
public static class Partition
{
    public static string ForRegion(string region)
    {
        if (region.StartsWith("cn-", StringComparison.Ordinal))
        {
            return "aws-cn";
        }

        if (region.StartsWith("us-gov-", StringComparison.Ordinal))
        {
            return "aws-us-gov";
        }

        if (region.StartsWith("us-isob-", StringComparison.Ordinal))
        {
            return "aws-iso-b";
        }

        if (region.StartsWith("us-iso-", StringComparison.Ordinal))
        {
            return "aws-iso";
        }

        return "aws";
    }
}
