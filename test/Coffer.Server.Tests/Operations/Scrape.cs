using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Coffer.Server.Auth;
using Coffer.Server.Hosting;
using Coffer.Server.Tests.Infrastructure;

namespace Coffer.Server.Tests.Operations;

/// <summary>A Prometheus scrape of /_coffer/metrics, read as a scraper reads it: sample lines of name{labels} value.</summary>
public sealed partial class Scrape(string text)
{
    public string Text { get; } = text;

    public static async Task<Scrape> TakeAsync(string endpoint, Action<HttpRequestMessage>? configure = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint + "/_coffer/metrics"));
        configure?.Invoke(request);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"scrape answered {(int)response.StatusCode}: {body}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return new Scrape(body);
    }

    /// <summary>Signs a scrape as the fixture's root for the service <c>coffer</c>.</summary>
    public static Task SignAsync(HttpRequestMessage request, string accessKeyId = CofferFixture.AccessKeyId, string secret = CofferFixture.SecretAccessKey) =>
        SigV4Signer.SignAsync(request, accessKeyId, secret, null, CofferFixture.Region, AdminEndpoints.SigningService, DateTimeOffset.UtcNow);

    /// <summary>The sum of every sample of <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    public double Sum(string name, params (string Label, string Value)[] labels)
    {
        var total = 0.0;
        foreach (Match m in Sample().Matches(Text))
        {
            if (m.Groups["name"].Value != name)
            {
                continue;
            }

            var set = m.Groups["labels"].Value;
            if (labels.All(l => set.Contains($"{l.Label}=\"{l.Value}\"", StringComparison.Ordinal)))
            {
                total += double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    public bool Has(string name) => Sample().Matches(Text).Any(m => m.Groups["name"].Value == name);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[-+0-9.eEInfNa]+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
