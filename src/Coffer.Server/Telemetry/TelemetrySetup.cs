using Coffer.Core.Diagnostics;
using Coffer.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Coffer.Server.Telemetry;

/// <summary>
/// OpenTelemetry for one server: Coffer's meter, ASP.NET Core's and the runtime's, read by the
/// Prometheus exporter at <see cref="MetricsPath"/>; and, only when an OTLP endpoint is set, traces
/// of Coffer's spans under ASP.NET Core's request span.
/// </summary>
internal static class TelemetrySetup
{
    public const string MetricsPath = "/_coffer/metrics";

    public static void Add(WebApplicationBuilder builder, CofferServerOptions options)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("coffer", serviceVersion: CofferServer.Version));
        if (options.Metrics)
        {
            telemetry.WithMetrics(m => m
                .AddMeter(CofferMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter(o =>
                {
                    o.ScrapeEndpointPath = MetricsPath;

                    // Every scrape reads the instruments afresh: scrapes are rare, and a cached one
                    // would show a counter standing still after calls were made.
                    o.ScrapeResponseCacheDurationMilliseconds = 0;
                }));
        }

        if (options.OtlpEndpoint is { } endpoint)
        {
            var uri = new Uri(endpoint);
            builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
            telemetry.WithTracing(t => t
                .AddSource(CofferTracing.SourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = c => !c.Request.Path.StartsWithSegments("/_coffer/health") && !c.Request.Path.StartsWithSegments(MetricsPath))
                .AddOtlpExporter(o =>
                {
                    o.Endpoint = uri;
                    o.Protocol = uri.AbsolutePath.EndsWith("/v1/traces", StringComparison.Ordinal) ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                }));
        }
    }

    /// <summary>Serves the scrape to whoever <paramref name="authorize"/> lets through (it answers the
    /// others itself), after <paramref name="beforeScrape"/>.</summary>
    public static void UseMetricsEndpoint(WebApplication app, CofferServerOptions options, Func<HttpContext, Task<bool>> authorize, Func<CancellationToken, Task> beforeScrape)
    {
        if (!options.Metrics)
        {
            return;
        }

        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            meterProvider: null,
            predicate: c => c.Request.Path == MetricsPath && HttpMethods.IsGet(c.Request.Method),
            path: null,
            configureBranchedPipeline: branch => branch.Use(async (context, next) =>
            {
                if (await authorize(context))
                {
                    // What the store-backed gauges report, read here where it can be awaited.
                    await beforeScrape(context.RequestAborted);
                    await next(context);
                }
            }),
            optionsName: null);
    }
}
