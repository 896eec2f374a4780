using Monitoring.Kubernetes;

// Exports provisioning/ for kube-prometheus-stack (docs/kubernetes.md). No cluster, Helm or network is needed.
return ExportCommand.Run(args, Console.Out, Console.Error);
