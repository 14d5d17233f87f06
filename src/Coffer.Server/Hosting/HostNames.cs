using System.Net;

namespace Coffer.Server.Hosting;

/// <summary>
/// DNS rebinding: a page at a name an attacker controls can have that name resolve to this server,
/// and a browser then treats the page and the server as one origin, sending the page's requests from
/// the visitor's own machine (loopback). What the server answers to "a local caller" or "its own
/// page" without credentials it therefore answers only when the request names it by an address or
/// <c>localhost</c>, which a rebound page cannot.
/// </summary>
internal static class HostNames
{
    public static bool IsAddressOrLocalhost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(host.Trim('[', ']'), out _);
}
