namespace Monitoring.AppHost;

/// <summary>The part an Airflow container plays; each runs the same image with another command.</summary>
public enum AirflowRole
{
    /// <summary>One-shot: migrates the metadata database and creates (or updates) the admin user.</summary>
    Init,

    /// <summary>The REST API and the UI.</summary>
    ApiServer,

    /// <summary>Schedules DAG runs and task instances.</summary>
    Scheduler,

    /// <summary>Parses DAG files.</summary>
    DagProcessor,

    /// <summary>Runs deferred tasks.</summary>
    Triggerer,
}

/// <summary>One Airflow process running in a container.</summary>
/// <param name="name">The resource name.</param>
/// <param name="role">What it runs.</param>
public class AirflowResource(string name, AirflowRole role) : ContainerResource(name)
{
    internal const string PrimaryEndpointName = "http";
    internal const int ApiServerPort = 8080;

    /// <summary>What this container runs.</summary>
    public AirflowRole Role { get; } = role;
}
