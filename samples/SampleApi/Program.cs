// A tiny orders API, as a team's own service would be: ServiceDefaults gives it OpenTelemetry metrics on /metrics and
// health on /health; the AppHost monitors it with one call (docs/monitor-your-service.md). GET /orders/{id} answers an
// order, and has a bug: order 0 throws, which answers 500, as a real bug would. GET /orders/report is slow (1.5 s, as a
// query missing its index would be).
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddProblemDetails();

var app = builder.Build();
app.UseExceptionHandler();
app.MapDefaultEndpoints();

app.MapGet("/orders/{id:int}", (int id) => id == 0
    ? throw new InvalidOperationException("Order 0 has no customer.")
    : TypedResults.Ok(new Order(id, $"customer-{id % 7}", 10.0m * id)));

app.MapGet("/orders/report", async (CancellationToken cancellationToken) =>
{
    await Task.Delay(TimeSpan.FromSeconds(1.5), cancellationToken);
    return TypedResults.Ok(new Report(Orders: 42, Total: 4_200m));
});

app.Run();

/// <summary>An order.</summary>
/// <param name="Id">Its number.</param>
/// <param name="Customer">Who placed it.</param>
/// <param name="Total">What it costs.</param>
internal sealed record Order(int Id, string Customer, decimal Total);

/// <summary>A summary of the orders.</summary>
/// <param name="Orders">How many.</param>
/// <param name="Total">What they cost together.</param>
internal sealed record Report(int Orders, decimal Total);
