using System.Text;
using Coffer.Core.Crypto;
using Coffer.Fuzz.Targets;
using Coffer.Server.Auth;
using Coffer.Signing;

namespace Coffer.Fuzz;

/// <summary>Seeds that need a key to make: correctly signed requests at the targets' fixed clock, and real blobs.</summary>
internal static class Seeds
{
    public static void Write(string root)
    {
        var sigv4 = Directory.CreateDirectory(Path.Combine(root, "sigv4")).FullName;
        File.WriteAllBytes(Path.Combine(sigv4, "valid-signed-json-post"), Signed("POST", "/", "", "application/x-amz-json-1.1", "TrentService.ListKeys", "{}", "kms"));
        File.WriteAllBytes(Path.Combine(sigv4, "valid-signed-query-post"), Signed("POST", "/", "", "application/x-www-form-urlencoded; charset=utf-8", null, "Action=GetCallerIdentity&Version=2011-06-15", "sts"));
        File.WriteAllBytes(Path.Combine(sigv4, "valid-signed-get-with-query"), Signed("GET", "/", "Action=GetCallerIdentity&Version=2011-06-15", null, null, "", "sts"));
        File.WriteAllBytes(Path.Combine(sigv4, "valid-presigned-get"), Presigned("Action=GetCallerIdentity&Version=2011-06-15", 900));

        var blob = Directory.CreateDirectory(Path.Combine(root, "blob")).FullName;
        File.WriteAllBytes(Path.Combine(blob, "empty-plaintext"), CiphertextBlob.Encrypt(BlobTarget.KeyId, 1, BlobTarget.Material, [], BlobTarget.Context));
        File.WriteAllBytes(Path.Combine(blob, "short-plaintext"), CiphertextBlob.Encrypt(BlobTarget.KeyId, 1, BlobTarget.Material, "hello"u8, BlobTarget.Context));
        File.WriteAllBytes(Path.Combine(blob, "no-context"), CiphertextBlob.Encrypt(BlobTarget.KeyId, 1, BlobTarget.Material, "secret value"u8, null));
        File.WriteAllBytes(Path.Combine(blob, "other-key-version-2"), CiphertextBlob.Encrypt(Guid.Empty, 2, BlobTarget.Material, "x"u8, BlobTarget.Context));
    }

    private static byte[] Signed(string method, string path, string query, string? contentType, string? target, string body, string service)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "http://127.0.0.1:8200" + path + (query.Length > 0 ? "?" + query : ""));
        if (method == "POST")
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        if (target is not null)
        {
            request.Headers.Add("X-Amz-Target", target);
        }

        SigV4Signer.SignAsync(request, SigV4Target.AccessKeyId, SigV4Target.Secret, null, "us-east-1", service, SigV4Target.Now).GetAwaiter().GetResult();
        var sb = new StringBuilder();
        sb.Append(method).Append(' ').Append(path).Append(query.Length > 0 ? "?" + query : "").Append('\n');
        foreach (var h in request.Headers)
        {
            sb.Append(h.Key).Append(": ").Append(string.Join(", ", h.Value)).Append('\n');
        }

        if (request.Content is not null)
        {
            sb.Append("Content-Type: ").Append(contentType).Append('\n');
        }

        sb.Append('\n').Append(body);
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>A presigned GET as the SDKs make one: the signature in the query, only host signed.</summary>
    private static byte[] Presigned(string query, int expires)
    {
        var amzDate = SigV4.FormatDate(SigV4Target.Now);
        var scope = SigV4.Scope(amzDate[..8], "us-east-1", "sts");
        var pairs = SigV4.ParseQuery(query);
        pairs.Add(new("X-Amz-Algorithm", SigV4.Algorithm));
        pairs.Add(new("X-Amz-Credential", SigV4Target.AccessKeyId + "/" + scope));
        pairs.Add(new("X-Amz-Date", amzDate));
        pairs.Add(new("X-Amz-Expires", expires.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        pairs.Add(new("X-Amz-SignedHeaders", "host"));
        var headers = new Dictionary<string, IReadOnlyList<string>> { ["host"] = ["127.0.0.1:8200"] };
        var input = new SigV4.CanonicalInput("GET", "/", pairs, headers, ["host"], SigV4.EmptyPayloadHash);
        var key = SigV4.SigningKey(Encoding.UTF8.GetBytes(SigV4Target.Secret), amzDate[..8], "us-east-1", "sts");
        var signature = SigV4.Signature(key, SigV4.StringToSign(amzDate, scope, SigV4.CanonicalRequest(input)));
        var text = string.Join('&', pairs.Select(p => SigV4.UriEncode(p.Key) + "=" + SigV4.UriEncode(p.Value))) + "&X-Amz-Signature=" + signature;
        return Encoding.UTF8.GetBytes($"GET /?{text}\nHost: 127.0.0.1:8200\n\n");
    }
}
