using System.Reflection;
using System.Runtime.CompilerServices;

namespace Monitoring.Tests.Model;

/// <summary>Our types are ours: none in Aspire's namespaces, none with the full name of a type in an Aspire package.</summary>
public class NamespaceTests
{
    private static readonly Assembly s_appHost = typeof(PrometheusResource).Assembly;

    [Fact]
    public void No_type_of_the_AppHost_is_in_an_Aspire_namespace()
    {
        var ours = OurTypes().Where(t => t.Namespace?.StartsWith("Aspire", StringComparison.Ordinal) == true).Select(t => t.FullName).ToList();

        Assert.True(ours.Count == 0, "In Aspire's namespaces: " + string.Join(", ", ours));
        Assert.Contains(OurTypes(), t => t.FullName == "Monitoring.AppHost.PostgresServerBuilderExtensions");
    }

    [Fact]
    public void No_type_of_the_AppHost_has_the_full_name_of_one_in_an_Aspire_package()
    {
        // Every Aspire assembly the AppHost references (Aspire.Hosting, Aspire.Hosting.PostgreSQL, …): a type of ours of
        // the same full name becomes CS0436 under warnings as errors the day the two meet.
        var aspire = s_appHost.GetReferencedAssemblies().Where(a => a.Name!.StartsWith("Aspire.", StringComparison.Ordinal)).Select(Assembly.Load)
            .SelectMany(a => a.GetTypes()).Select(t => t.FullName).ToHashSet();

        Assert.Contains("Aspire.Hosting.PostgresBuilderExtensions", aspire);
        var clashes = OurTypes().Where(t => aspire.Contains(t.FullName)).Select(t => t.FullName).ToList();
        Assert.True(clashes.Count == 0, "Full names of Aspire's types: " + string.Join(", ", clashes));
    }

    [Fact]
    public void No_extension_of_the_AppHost_takes_the_name_of_one_in_an_Aspire_package_it_does_not_reference()
    {
        // Aspire.Hosting.Kafka (not served here) adds AddKafka and KafkaServerResource to Aspire.Hosting, which every
        // AppHost imports: ours under the same names would be an ambiguous call the day a team references it.
        string[] aspireKafka = ["AddKafka", "KafkaServerResource", "AddKafkaUI"];
        var ours = OurTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static).Select(m => m.Name).Append(t.Name)).ToHashSet();

        Assert.True(!aspireKafka.Any(ours.Contains), "Names of Aspire.Hosting.Kafka: " + string.Join(", ", aspireKafka.Where(ours.Contains)));
    }

    private static IEnumerable<Type> OurTypes() =>
        s_appHost.GetTypes().Where(t => !t.IsDefined(typeof(CompilerGeneratedAttribute)) && t.DeclaringType is null && t.Namespace is not null and not "Projects");
}
