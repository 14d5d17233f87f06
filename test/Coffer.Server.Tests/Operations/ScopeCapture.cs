using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Coffer.Server.Tests.Operations;

/// <summary>Keeps each log message with the scopes it was written in, as the console loggers see them.</summary>
public sealed class ScopeCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<(int EventId, string Message, IReadOnlyList<KeyValuePair<string, object?>> Scope)> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<(int EventId, string Message, IReadOnlyList<KeyValuePair<string, object?>> Scope)> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(ScopeCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => capture._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scope = new List<KeyValuePair<string, object?>>();
            capture._scopes.ForEachScope(
                (s, list) =>
                {
                    if (s is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        list.AddRange(pairs);
                    }
                },
                scope);
            capture._entries.Enqueue((eventId.Id, formatter(state, exception), scope));
        }
    }
}
