namespace Monitoring.Kubernetes;

/// <summary>The export cannot go on: bad input, named in the message (the argument, or the file and line).</summary>
/// <param name="message">What is wrong, and where.</param>
public sealed class ExportException(string message) : Exception(message);
