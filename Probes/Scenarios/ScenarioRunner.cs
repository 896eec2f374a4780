using System.Collections.Concurrent;

namespace Monitoring.Probes;

/// <summary>Keeps the running scenarios; each ends by itself when its duration has passed.</summary>
/// <param name="time">The clock.</param>
public sealed class ScenarioRunner(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ActiveScenario> _active = new();

    /// <summary>The scenarios that can run.</summary>
    public IReadOnlyList<ScenarioDefinition> Catalog => ScenarioCatalog.All;

    /// <summary>Starts (or restarts) a scenario with validated parameters.</summary>
    /// <param name="definition">The scenario.</param>
    /// <param name="parameters">Every parameter's value.</param>
    /// <returns>The running scenario.</returns>
    public ActiveScenario Start(ScenarioDefinition definition, IReadOnlyDictionary<string, double> parameters)
    {
        var now = time.GetUtcNow();
        var run = new ActiveScenario(definition.Name, parameters, now, now.AddSeconds(parameters[ScenarioCatalog.Duration.Name]));
        _active[definition.Name] = run;
        return run;
    }

    /// <summary>Stops a scenario.</summary>
    /// <param name="name">The scenario name.</param>
    /// <returns>Whether it was running.</returns>
    public bool Stop(string name) => _active.TryRemove(name, out _);

    /// <summary>The scenarios running now.</summary>
    public IReadOnlyList<ActiveScenario> Running
    {
        get
        {
            var now = time.GetUtcNow();
            return _active.Values.Where(s => s.EndsAt > now).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Whether a scenario is running now.</summary>
    /// <param name="name">The scenario name.</param>
    /// <returns><see langword="true"/> while it runs.</returns>
    public bool IsActive(string name) => TryGetActive(name, out _);

    /// <summary>The value of a running scenario's parameter.</summary>
    /// <param name="name">The scenario name.</param>
    /// <param name="parameter">The parameter name.</param>
    /// <returns>The value, or <see langword="null"/> when the scenario is not running.</returns>
    public double? ParameterOf(string name, string parameter) =>
        TryGetActive(name, out var run) ? run.Parameters[parameter] : null;

    /// <summary>A scenario's run, while it runs: each start is a new run (a restart too).</summary>
    /// <param name="name">The scenario name.</param>
    /// <returns>The run, or <see langword="null"/> when the scenario is not running.</returns>
    public ActiveScenario? RunOf(string name) => TryGetActive(name, out var run) ? run : null;

    private bool TryGetActive(string name, out ActiveScenario run)
    {
        if (_active.TryGetValue(name, out run!) && run.EndsAt > time.GetUtcNow())
        {
            return true;
        }

        _active.TryRemove(new KeyValuePair<string, ActiveScenario>(name, run!));
        return false;
    }
}
