using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Coffer.Client.Configuration;

/// <summary>
/// Loads a Parameter Store path with GetParametersByPath (recursive, decrypted, every page) and
/// reloads it when the change stream names a parameter under the path, or by polling while the
/// stream is down; a reload that changed something fires the reload token, so
/// <c>IOptionsMonitor</c> sees the new values.
/// </summary>
public sealed class CofferConfigurationProvider : ConfigurationProvider, IDisposable
{
    private readonly CofferConfigurationSource _source;
    private readonly ILogger _logger;
    private readonly AmazonSimpleSystemsManagementClient _ssm;
    private readonly AwsWire? _wire;
    private readonly ChangeFeed? _feed;
    private readonly Timer? _poll;
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private int _pending;

    public CofferConfigurationProvider(CofferConfigurationSource source)
    {
        _source = source;
        _logger = source.ClientOptions.LoggerFactory.CreateLogger<CofferConfigurationProvider>();
        _ssm = source.ClientOptions.CreateSsm();
        if (source.WatchChanges)
        {
            _wire = new AwsWire(source.ClientOptions);
            _feed = new ChangeFeed(_wire, _logger, OnChange);
            _feed.Start();
        }

        if (source.ReloadAfter is { } every)
        {
            _poll = new Timer(_ => { if (_feed is not { IsConnected: true }) { _ = ReloadAsync(); } }, null, every, every);
        }
    }

    public override void Load()
    {
        try
        {
            Data = LoadAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception e) when (_source.Optional && e is AmazonServiceException or HttpRequestException)
        {
            Data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        }
    }

    /// <summary>Loads again now; fires the reload token when a value changed.</summary>
    public async Task ReloadAsync()
    {
        // Notices that arrive while a reload runs make one more reload, not one each.
        if (Interlocked.Exchange(ref _pending, 1) == 1)
        {
            return;
        }

        await _reloading.WaitAsync();
        try
        {
            Volatile.Write(ref _pending, 0);
            var data = await LoadAsync(CancellationToken.None);
            if (data.Count != Data.Count || data.Any(kv => !Data.TryGetValue(kv.Key, out var old) || old != kv.Value))
            {
                Data = data;
                OnReload();
            }
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException)
        {
            Log.ConfigurationReloadFailed(_logger, _source.Path, (e as AmazonServiceException)?.ErrorCode ?? e.GetType().Name);
        }
        finally
        {
            _reloading.Release();
        }
    }

    public void Dispose()
    {
        _poll?.Dispose();
        _feed?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _wire?.Dispose();
        _ssm.Dispose();
    }

    /// <summary>The configuration key of a parameter: its name after the path, '/' becoming ':'. A StringList gives key:0, key:1, ...</summary>
    public static string KeyOf(string name, string path) =>
        (name.StartsWith(path, StringComparison.Ordinal) ? name[path.Length..] : name).TrimStart('/').Replace("/", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);

    private async Task<Dictionary<string, string?>> LoadAsync(CancellationToken ct)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var request = new GetParametersByPathRequest { Path = _source.Path, Recursive = true, WithDecryption = true };
        do
        {
            var page = await _ssm.GetParametersByPathAsync(request, ct);
            foreach (var p in page.Parameters ?? [])
            {
                var key = KeyOf(p.Name, _source.Path);
                if (p.Type == ParameterType.StringList)
                {
                    var items = p.Value.Split(',');
                    for (var i = 0; i < items.Length; i++)
                    {
                        data[ConfigurationPath.Combine(key, i.ToString(System.Globalization.CultureInfo.InvariantCulture))] = items[i];
                    }
                }
                else
                {
                    data[key] = p.Value;
                }
            }

            request.NextToken = page.NextToken;
        }
        while (!string.IsNullOrEmpty(request.NextToken));

        Log.ConfigurationLoaded(_logger, data.Count, _source.Path);
        return data;
    }

    private void OnChange(ChangeNotice notice)
    {
        var prefix = _source.Path.TrimEnd('/') + "/";
        if (notice.Source == ChangeNotice.ParameterStore && (notice.Identifiers.Count == 0 || notice.Identifiers.Any(id => id.StartsWith(prefix, StringComparison.Ordinal))))
        {
            _ = ReloadAsync();
        }
    }
}
