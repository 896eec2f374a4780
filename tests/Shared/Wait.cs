using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Monitoring.Tests.Infrastructure;

/// <summary>Waits for a condition with a timeout and a cancellation token; never a fixed sleep.</summary>
internal static class Wait
{
    /// <summary>Polls <paramref name="condition"/> until it holds, failing with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    /// <param name="what">What is awaited, for the failure message.</param>
    /// <param name="condition">Whether the condition holds; an HTTP or I/O error counts as "not yet".</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <param name="interval">The pause between attempts (1 s by default).</param>
    /// <returns>A task that completes when the condition holds.</returns>
    public static async Task UntilAsync(string what, Func<CancellationToken, Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken, TimeSpan? interval = null)
    {
        string? lastError = null;
        var pipeline = new ResiliencePipelineBuilder<bool>()
            .AddTimeout(new TimeoutStrategyOptions { Timeout = timeout })
            .AddRetry(new RetryStrategyOptions<bool>
            {
                ShouldHandle = new PredicateBuilder<bool>().HandleResult(done => !done).Handle<HttpRequestException>().Handle<IOException>(),
                MaxRetryAttempts = int.MaxValue,
                Delay = interval ?? TimeSpan.FromSeconds(1),
                BackoffType = DelayBackoffType.Constant,
                OnRetry = args =>
                {
                    lastError = args.Outcome.Exception?.Message ?? lastError;
                    return default;
                },
            })
            .Build();
        try
        {
            await pipeline.ExecuteAsync(async ct => await condition(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException)
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.{(lastError is null ? "" : $" Last error: {lastError}")}");
        }
    }
}
