using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Monitoring.Probes;

namespace Monitoring.Tests.Probes;

/// <summary>The Probes service in the test process, with the given settings; its log stays out of the test run's console.</summary>
internal static class ProbesFactory
{
    /// <summary>A factory of Probes with these settings (<c>key</c>, <c>value</c>).</summary>
    public static WebApplicationFactory<ProbeMetrics> Create(params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<ProbeMetrics>().WithWebHostBuilder(web =>
        {
            web.ConfigureLogging(logging => logging.ClearProviders());
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
        });
}
