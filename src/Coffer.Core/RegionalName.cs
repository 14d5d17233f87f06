namespace Coffer.Core;

/// <summary>
/// A service's endpoint name in a Region (<c>ssm.us-east-1.amazonaws.com</c>, what kms:ViaService
/// compares), kept for the last Region it was asked for: every SecureString and secret read names
/// one, nearly always in the same Region (issue 11). One entry, so a caller's made-up Regions
/// cannot grow it; threads may share it (the entry is replaced whole).
/// </summary>
internal sealed class RegionalName(string service)
{
    private Made? _last;

    public string In(string region)
    {
        var last = _last;
        if (last is null || !string.Equals(last.Region, region, StringComparison.Ordinal))
        {
            last = new Made(region, $"{service}.{region}.amazonaws.com");
            _last = last;
        }

        return last.Name;
    }

    private sealed record Made(string Region, string Name);
}
