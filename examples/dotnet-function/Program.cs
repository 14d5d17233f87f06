using System.Security.Cryptography;
using System.Text;
using Coffer.Examples.Function;

// Invokes the handler twice as a function host would (one cold start, then a warm call) and prints
// what it read as SHA-256 fingerprints (never the values), for the example's test to compare.
await using var function = new Function();
await function.HandleAsync();
var settings = await function.HandleAsync();
Console.WriteLine($"{{\"apiKey\":\"{Fingerprint(settings.ApiKey)}\",\"dbPassword\":\"{Fingerprint(settings.DbPassword)}\",\"secret\":\"{Fingerprint(settings.Secret)}\"}}");

static string Fingerprint(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..16];
