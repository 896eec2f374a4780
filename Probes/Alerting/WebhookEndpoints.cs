using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Monitoring.Probes.Alerting;

/// <summary>
/// The Alertmanager webhook receiver: <c>POST /alertmanager/webhook</c>, and <c>GET /alertmanager/notifications</c>
/// listing what arrived, filtered by <c>alertname</c>, <c>status</c> and <c>since</c> (received at or after that time,
/// ISO 8601), so a test can require a notification that arrived after the fault it injected.
/// </summary>
public static class WebhookEndpoints
{
    /// <summary>The largest webhook body accepted (Alertmanager's groups are far smaller).</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>Maps the receiver's endpoints.</summary>
    /// <param name="app">The route builder.</param>
    /// <returns>The route group.</returns>
    public static RouteGroupBuilder MapAlertmanagerWebhook(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/alertmanager").WithTags("Alertmanager");
        group.MapPost("/webhook", ReceiveAsync);
        group.MapGet("/notifications", (NotificationStore store, string? alertname, string? status, DateTimeOffset? since) =>
            TypedResults.Ok(store.Snapshot().Where(n =>
                (alertname is null || n.Alerts.Any(a => a.Labels.GetValueOrDefault("alertname") == alertname))
                && (status is null || n.Status == status)
                && (since is null || n.ReceivedAt >= since))));
        return group;
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, NotificationStore store, ProbeMetrics metrics, TimeProvider time, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return TooLarge();
        }

        AlertmanagerNotification? notification;
        try
        {
            using var limited = new LimitedStream(request.Body, MaxBodyBytes);
            notification = await JsonSerializer.DeserializeAsync<AlertmanagerNotification>(limited, s_json, ct).ConfigureAwait(false);
        }
        catch (LimitedStream.LimitExceededException)
        {
            return TooLarge();
        }
        catch (JsonException ex)
        {
            return TypedResults.Problem(
                title: "The body is not an Alertmanager webhook payload.",
                detail: $"{ex.Message} (line {ex.LineNumber + 1}, path {ex.Path ?? "$"})",
                statusCode: StatusCodes.Status400BadRequest);
        }

        if (notification is null || notification.Status is not ("firing" or "resolved")
            || notification.Alerts.Any(a => a.Status is not ("firing" or "resolved")))
        {
            return TypedResults.Problem(
                title: "The body is not an Alertmanager webhook payload.",
                detail: "'status' of the notification and of each alert must be 'firing' or 'resolved'.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        store.Add(notification with { ReceivedAt = time.GetUtcNow() });
        metrics.RecordNotification(notification.Status);
        return TypedResults.Accepted((string?)null);
    }

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(
        title: "The webhook body is too large.",
        detail: $"At most {MaxBodyBytes} bytes are accepted.",
        statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>A read-only view of a stream that throws once more than a set number of bytes is read.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public sealed class LimitExceededException : Exception;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int n)
        {
            _read += n;
            return _read > limit ? throw new LimitExceededException() : n;
        }
    }
}
