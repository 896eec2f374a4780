using Microsoft.AspNetCore.Http.HttpResults;

namespace Monitoring.Probes.Work;

/// <summary>
/// <c>GET /work</c>: the Probes service's unit of work, a real request through its own HTTP pipeline, so ASP.NET Core's
/// own metrics (<c>http.server.request.duration</c> by route and status code) - the ones every service's alerts and
/// dashboard read - show what the <c>error-burst</c> and <c>latency-spike</c> scenarios do: a share of the requests
/// answers 500, or every request answers late.
/// </summary>
public static class WorkEndpoints
{
    /// <summary>The path of the unit of work.</summary>
    public const string Path = "/work";

    /// <summary>Maps <c>GET /work</c>.</summary>
    /// <param name="app">The route builder.</param>
    /// <returns>The endpoint's builder.</returns>
    public static RouteHandlerBuilder MapWork(this IEndpointRouteBuilder app) =>
        app.MapGet(Path, async Task<Results<Ok<WorkResponse>, ProblemHttpResult>> (ScenarioRunner runner, TimeProvider time, CancellationToken ct) =>
        {
            var latency = runner.ParameterOf(ScenarioCatalog.LatencySpike, "latencySeconds") ?? 0.005 + (Random.Shared.NextDouble() * 0.045);
            await Task.Delay(TimeSpan.FromSeconds(latency), time, ct).ConfigureAwait(false);

            var errorRatio = runner.ParameterOf(ScenarioCatalog.ErrorBurst, "errorRatio") ?? 0;
            return Random.Shared.NextDouble() < errorRatio
                ? TypedResults.Problem(title: "Failed on purpose: the error-burst scenario runs.", statusCode: StatusCodes.Status500InternalServerError)
                : TypedResults.Ok(new WorkResponse("done", latency));
        }).WithTags("Work");
}

/// <summary>The answer of <c>GET /work</c>.</summary>
/// <param name="Status">Always <c>done</c>.</param>
/// <param name="Seconds">How long the work took.</param>
public sealed record WorkResponse(string Status, double Seconds);
