using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// Where the graphs' projects send their OTLP telemetry in the tests, in place of the Aspire dashboard that F5 runs
/// and the tests leave out: an OTLP/gRPC endpoint on loopback that accepts every export, as the dashboard's does.
/// Without it the projects export to Aspire.Hosting.Testing's fallback, http://localhost:4317, where nothing listens:
/// each export fails and is kept for retry (OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY=in_memory), and at shutdown the
/// exporters retry their flush for about 10 s, so the orchestrator kills every project it stops after its 6 s grace
/// instead of seeing it exit (measured here: Probes stops in 10.3 s on SIGTERM with the dead endpoint, 2.0 s without
/// one). One sink serves every graph and lives as long as the test process: a graph may stop, and flush, at any time.
/// </summary>
internal static class OtlpSink
{
    private static readonly Lazy<Task<WebApplication>> s_server = new(StartAsync);
    private static readonly ConcurrentDictionary<string, int> s_exports = new(StringComparer.Ordinal);

    /// <summary>The endpoint's URL, for <c>ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL</c>; starts the sink on first use.</summary>
    /// <returns>The URL (http, loopback, HTTP/2 only).</returns>
    public static async Task<string> UrlAsync()
    {
        var server = await s_server.Value;
        return server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    /// <summary>How many exports arrived for a gRPC method, e.g. <c>opentelemetry.proto.collector.metrics.v1.MetricsService/Export</c>.</summary>
    /// <param name="method">The gRPC method (the request path without its leading slash).</param>
    /// <returns>The count.</returns>
    public static int Exports(string method) => s_exports.GetValueOrDefault(method);

    private static async Task<WebApplication> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // gRPC without TLS: HTTP/2 with prior knowledge, which is what the OTLP exporter speaks to an http:// endpoint.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.Run(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            s_exports.AddOrUpdate(context.Request.Path.Value!.TrimStart('/'), 1, (_, n) => n + 1);
            // A gRPC success: one uncompressed, empty message (an Export*ServiceResponse with no partial failure),
            // then the status in the trailers.
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(new byte[5], context.RequestAborted);
            context.Response.AppendTrailer("grpc-status", "0");
        });
        await app.StartAsync();
        return app;
    }
}
