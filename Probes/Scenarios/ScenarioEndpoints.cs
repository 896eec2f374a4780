using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

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

    private static async Task<Results<Ok<ActiveScenario>, ProblemHttpResult, ValidationProblem>> StartAsync(
        string name, HttpRequest request, ScenarioRunner runner, CancellationToken ct)
    {
        var definition = ScenarioCatalog.Find(name);
        if (definition is null)
        {
            return TypedResults.Problem(
                title: $"Unknown scenario '{name}'.",
                detail: $"Known scenarios: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))}.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        JsonElement body = default;
        if (request.ContentLength is not 0)
        {
            try
            {
                using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct).ConfigureAwait(false);
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
