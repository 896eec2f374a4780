using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Monitoring.Probes.Synthetic;

namespace Monitoring.Probes;

/// <summary>The fault-scenario API: <c>GET /scenarios</c>, <c>POST /scenarios/{name}</c>, <c>DELETE /scenarios/{name}</c>.</summary>
public static class ScenarioEndpoints
{
    /// <summary>Maps the scenario endpoints.</summary>
    /// <param name="app">The route builder.</param>
    /// <returns>The route group.</returns>
    public static RouteGroupBuilder MapScenarios(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/scenarios").WithTags("Scenarios");
        group.MapGet("/", (ScenarioRunner runner) => TypedResults.Ok(new { catalog = runner.Catalog, running = runner.Running }));
        group.MapPost("/{name}", StartAsync);
        group.MapDelete("/{name}", Results<NoContent, NotFound> (string name, ScenarioRunner runner) =>
            runner.Stop(name) ? TypedResults.NoContent() : TypedResults.NotFound());
        return group;
    }

    /// <summary>
    /// Maps <c>GET /status</c>: a small public page the blackbox-exporter probes from outside. The
    /// <c>endpoint-down</c> scenario makes it answer 503, <c>endpoint-slow</c> makes it answer late; the health
    /// endpoints are not affected, so the orchestrator keeps seeing a healthy service.
    /// </summary>
    /// <param name="app">The route builder.</param>
    /// <returns>The endpoint's builder.</returns>
    public static RouteHandlerBuilder MapStatus(this IEndpointRouteBuilder app) =>
        app.MapGet("/status", async Task<Results<Ok<StatusResponse>, ProblemHttpResult>> (ScenarioRunner runner, TimeProvider time, CancellationToken ct) =>
        {
            if (runner.IsActive(ScenarioCatalog.EndpointDown))
            {
                return TypedResults.Problem(title: "Down on purpose: the endpoint-down scenario runs.", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            if (runner.ParameterOf(ScenarioCatalog.EndpointSlow, "delaySeconds") is { } delay)
            {
                await Task.Delay(TimeSpan.FromSeconds(delay), time, ct).ConfigureAwait(false);
            }

            return TypedResults.Ok(new StatusResponse("ok", [.. runner.Running.Select(r => r.Name)]));
        }).WithTags("Status");

    private static async Task<Results<Ok<ActiveScenario>, ProblemHttpResult, ValidationProblem>> StartAsync(
        string name, HttpRequest request, ScenarioRunner runner, IOptions<SyntheticSeriesOptions> synthetic, IConfiguration configuration, CancellationToken ct)
    {
        var definition = ScenarioCatalog.Find(name);
        if (definition is null)
        {
            return TypedResults.Problem(
                title: $"Unknown scenario '{name}'.",
                detail: $"Known scenarios: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))}.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        if (UnavailableBecause(definition.Source, synthetic.Value, configuration) is { } reason)
        {
            return TypedResults.Problem(
                title: $"Scenario '{name}' cannot run here.", detail: reason, statusCode: StatusCodes.Status409Conflict);
        }

        // Parameters are a few numbers: a body larger than this is not a parameter object.
        const int MaxBodyBytes = 16 * 1024;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct).ConfigureAwait(false);
        if (buffer.Length > MaxBodyBytes)
        {
            return TypedResults.Problem(
                title: "The body is too large.", detail: $"Scenario parameters fit in {MaxBodyBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        JsonElement body = default;
        if (buffer.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(buffer.ToArray());
                body = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                return TypedResults.Problem(
                    title: "The body is not valid JSON.", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest);
            }
        }

        var (values, errors) = Bind(definition, body);
        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors, title: $"Invalid parameters for scenario '{name}'.")
            : TypedResults.Ok(runner.Start(definition, values));
    }

    private static string? UnavailableBecause(ScenarioSource source, SyntheticSeriesOptions synthetic, IConfiguration configuration) => source switch
    {
        ScenarioSource.SyntheticAirflow when !synthetic.Airflow =>
            "It breaks the synthetic Airflow series, which are off (the real Airflow runs, or Probes:Synthetic:Airflow is false). " +
            "With a real Airflow, trigger the monitoring_fail_on_demand DAG instead.",
        ScenarioSource.SyntheticKafka when !synthetic.Kafka =>
            "It breaks the synthetic Kafka series, which are off (the real Kafka runs, or Probes:Synthetic:Kafka is false). " +
            "With a real Kafka, stop the broker instead.",
        ScenarioSource.Kafka when !synthetic.Kafka && string.IsNullOrWhiteSpace(configuration["Kafka:BootstrapServers"]) =>
            "There is no Kafka: neither Kafka:BootstrapServers nor Probes:Synthetic:Kafka is set.",
        _ => null,
    };

    /// <summary>Reads each parameter from a JSON object, applying defaults and range checks.</summary>
    /// <param name="definition">The scenario.</param>
    /// <param name="body">The request body: an object, or <c>default</c> for none.</param>
    /// <returns>The values, and the errors by field.</returns>
    internal static (Dictionary<string, double> Values, Dictionary<string, string[]> Errors) Bind(ScenarioDefinition definition, JsonElement body)
    {
        var values = definition.Parameters.ToDictionary(p => p.Name, p => p.Default);
        var errors = new Dictionary<string, string[]>();
        if (body.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return (values, errors);
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["The body must be a JSON object of parameters."];
            return (values, errors);
        }

        foreach (var property in body.EnumerateObject())
        {
            var parameter = definition.Parameters.FirstOrDefault(p => p.Name == property.Name);
            if (parameter is null)
            {
                errors[property.Name] = [$"Unknown parameter. '{definition.Name}' takes: {string.Join(", ", definition.Parameters.Select(p => p.Name))}."];
            }
            else if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var value))
            {
                errors[property.Name] = ["Must be a number."];
            }
            else if (value < parameter.Minimum || value > parameter.Maximum || double.IsNaN(value))
            {
                errors[property.Name] = [string.Create(CultureInfo.InvariantCulture, $"Must be between {parameter.Minimum} and {parameter.Maximum}.")];
            }
            else
            {
                values[parameter.Name] = value;
            }
        }

        return (values, errors);
    }
}

/// <summary>The answer of <c>GET /status</c>.</summary>
/// <param name="Status">Always <c>ok</c> when it answers 200.</param>
/// <param name="Scenarios">The scenarios running now.</param>
public sealed record StatusResponse(string Status, IReadOnlyList<string> Scenarios);
