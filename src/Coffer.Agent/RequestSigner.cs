using System.Text;
using Coffer.Signing;

namespace Coffer.Agent;

/// <summary>
/// SigV4 for the agent's calls, through the same code the server verifies with
/// (<see cref="SigV4Request"/>, <see cref="SigV4"/>), without the AWS SDK so that the agent
/// compiles to a native binary. The signing key is derived once per day and service.
/// </summary>
internal sealed class RequestSigner(AwsCredentials credentials, string region, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public void Sign(HttpRequestMessage request, string service, ReadOnlySpan<byte> body)
    {
        var amzDate = SigV4.FormatDate(time.GetUtcNow());
        SigV4Request.Sign(request, body, credentials.AccessKeyId, credentials.SessionToken, region, service, amzDate, SigningKey(amzDate[..8], service));
    }

    private byte[] SigningKey(string date, string service)
    {
        var id = date + "/" + service;
        lock (_gate)
        {
            if (_keys.TryGetValue(id, out var cached))
            {
                return cached;
            }

            if (_keys.Count > 8)
            {
                _keys.Clear();
            }

            return _keys[id] = SigV4.SigningKey(Encoding.UTF8.GetBytes(credentials.SecretAccessKey), date, region, service);
        }
    }
}
