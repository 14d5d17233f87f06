using System.Reflection;
using System.Text.Json;

namespace Coffer.Server.Console;

/// <summary>
/// AWS's published prices for what Coffer does (Console/assets/prices.json, one file that is easy to
/// update), for the console's Usage page and <c>coffer usage</c>: what the same use would cost on AWS.
/// </summary>
public sealed record ServicePrice(string EventSource, string Label, string ResourceName, decimal ResourcePerMonth, long RequestsPer, decimal RequestPrice, long FreeRequestsPerMonth, string? OnlyWith)
{
    /// <summary>What this many calls and resources would cost on AWS over <paramref name="days"/> days.</summary>
    public (decimal Calls, decimal Resources) Cost(long calls, long? resources, double days)
    {
        var months = (decimal)days / 30m;
        var billable = Math.Max(0m, calls - (FreeRequestsPerMonth * months));
        return (billable / RequestsPer * RequestPrice, (resources ?? 0) * ResourcePerMonth * months);
    }
}

public static class ConsolePrices
{
    public static IReadOnlyList<ServicePrice> Load(out string asOf)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("console/prices.json")!;
        using var doc = JsonDocument.Parse(stream);
        asOf = doc.RootElement.GetProperty("asOf").GetString()!;
        var list = new List<ServicePrice>();
        foreach (var service in doc.RootElement.GetProperty("services").EnumerateObject())
        {
            var resource = service.Value.GetProperty("resource");
            var requests = service.Value.GetProperty("requests");
            list.Add(new ServicePrice(
                service.Name,
                service.Value.GetProperty("label").GetString()!,
                resource.GetProperty("name").GetString()!,
                resource.GetProperty("perMonth").GetDecimal(),
                requests.GetProperty("per").GetInt64(),
                requests.GetProperty("price").GetDecimal(),
                requests.GetProperty("freePerMonth").GetInt64(),
                requests.TryGetProperty("onlyWith", out var only) ? only.GetString() : null));
        }

        return list;
    }
}
