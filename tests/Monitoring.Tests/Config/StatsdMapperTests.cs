namespace Monitoring.Tests.Config;

/// <summary>
/// <see cref="StatsdMapper"/> held to statsd-exporter: the cases of its own mapper tests at v0.28.0
/// (pkg/mapper/mapper_test.go, TestMetricMapperYAML; each named as there, with its line) that apply to what the port
/// covers, with the configuration, the metric and what upstream expects. Upstream leaves some results unnamed (a metric
/// no mapping takes is only checked for having no labels); there, the port's escaped name is what
/// pkg/mapper/escape.go makes of it.
/// </summary>
public class StatsdMapperTests
{
    private static readonly Dictionary<string, string> s_configs = new()
    {
        // l. 67-106
        ["Config with several mapping definitions"] = """
            mappings:
            - match: test.dispatcher.*.*.*
              name: "dispatch_events"
              labels: {processor: "$1", action: "$2", result: "$3", job: "test_dispatcher"}
            - match: test.my-dispatch-host01.name.dispatcher.*.*.*
              name: "host_dispatch_events"
              labels: {processor: "$1", action: "$2", result: "$3", job: "test_dispatcher"}
            - match: request_time.*.*.*.*.*.*.*.*.*.*.*.*
              name: "tyk_http_request"
              labels: {method_and_path: "${1}", response_code: "${2}", apikey: "${3}", apiversion: "${4}", apiname: "${5}", apiid: "${6}", ipv4_t1: "${7}", ipv4_t2: "${8}", ipv4_t3: "${9}", ipv4_t4: "${10}", orgid: "${11}", oauthid: "${12}"}
            - match: "*.*"
              name: "catchall"
              labels: {first: "$1", second: "$2", third: "$3", job: "$1-$2-$3"}
            - match: (.*)\.(.*)-(.*)\.(.*)
              match_type: regex
              name: "proxy_requests_total"
              labels: {job: "$1", protocol: "$2", endpoint: "$3", result: "$4"}
            """,
        // l. 225-240
        ["Config with backtracking, the non-matched rule has star(s)"] = """
            mappings:
            - match: '*.dummy.*'
              name: metric_one
              labels: {system: $1, attribute: $2}
            - match: 'full.name.*'
              name: metric_two
              labels: {system: static, attribute: $1}
            """,
        // l. 297-307
        ["Config with super sets, keeps ordering"] = """
            mappings:
            - match: order.*.*
              name: "testa"
              labels: {label: "${1}_foo"}
            - match: order.*.bbb
              name: "testb"
              labels: {label: "${1}_foo"}
            """,
        // l. 322-329
        ["Config with bad regex reference"] = """
            mappings:
            - match: test.*
              name: "name"
              labels: {label: "$1_foo"}
            """,
        // l. 341-348
        ["Config with good regex reference"] = """
            mappings:
            - match: test.*
              name: "name"
              labels: {label: "${1}_foo"}
            """,
        // l. 360-367
        ["Match metric segment with a number"] = """
            mappings:
            - match: test.99.myapp.*
              name: "name"
              labels: {label: "${1}_foo"}
            """,
        // l. 379-386
        ["Match metric segment starting with a number"] = """
            mappings:
            - match: test.99test.myapp.*
              name: "name"
              labels: {label: "${1}_foo"}
            """,
        // l. 412-418
        ["Single segment match"] = """
            mappings:
            - match: '*'
              name: single_segment
              labels: {label: "${1}"}
            """,
        // l. 441-447
        ["Config with multiple dashes in metric name"] = """
            mappings:
            - match: "foo--bar.*"
              name: "foo_bar_${1}"
              labels: {}
            """,
        // l. 456-469
        ["Config with dynamic metric name"] = """
            mappings:
            - match: test1.*.*
              name: "$1"
              labels: {}
            - match: test2.*.*
              name: "${1}_$2"
              labels: {}
            - match: test3\.(\w+)\.(\w+)
              match_type: regex
              name: "${2}_$1"
              labels: {}
            """,
        // l. 538-544
        ["Config with a properly escaped *"] = """
            mappings:
            - match: "*.test.*"
              name: "name"
              labels: {label: "${2}_foo"}
            """,
        // l. 1278-1285
        ["Config with non-matched metric"] = """
            mappings:
            - match: foo.*.*
              observer_type: summary
              name: "foo"
              labels: {}
            """,
        // l. 1307-1316
        ["Config with labels from glob"] = """
            mappings:
            - match: p.*.*.c.*
              match_type: glob
              name: issue_256
              labels: {one: $1, two: $2, three: $3}
            """,
        // l. 1331-1345
        ["Example from the README"] = """
            mappings:
            - match: test.dispatcher.*.*.*
              name: "dispatcher_events_total"
              labels: {processor: "$1", action: "$2", outcome: "$3", job: "test_dispatcher"}
            - match: "*.signup.*.*"
              name: "signup_events_total"
              labels: {provider: "$2", outcome: "$3", job: "${1}_server"}
            """,
        // l. 1376-1381
        ["Config that drops all"] = """
            mappings:
            - match: .
              match_type: regex
              name: "drop"
              action: drop
            """,
        // l. 1392-1401
        ["Config that has a catch-all to drop all"] = """
            mappings:
            - match: web.*
              name: "web"
              labels: {site: "$1"}
            - match: .
              match_type: regex
              name: "drop"
              action: drop
            """,
    };

    public static TheoryData<string, string, string> UpstreamCases() => new()
    {
        { "Config with several mapping definitions", "test.dispatcher.FooProcessor.send.succeeded", "dispatch_events{action=send,job=test_dispatcher,processor=FooProcessor,result=succeeded}" },
        { "Config with several mapping definitions", "test.my-dispatch-host01.name.dispatcher.FooProcessor.send.succeeded", "host_dispatch_events{action=send,job=test_dispatcher,processor=FooProcessor,result=succeeded}" },
        {
            "Config with several mapping definitions",
            "request_time.get/threads/1/posts.200.00000000.nonversioned.discussions.a11bbcdf0ac64ec243658dc64b7100fb.172.20.0.1.12ba97b7eaa1a50001000001.",
            "tyk_http_request{apiid=a11bbcdf0ac64ec243658dc64b7100fb,apikey=00000000,apiname=discussions,apiversion=nonversioned,ipv4_t1=172,ipv4_t2=20,ipv4_t3=0,ipv4_t4=1,method_and_path=get/threads/1/posts,oauthid=,orgid=12ba97b7eaa1a50001000001,response_code=200}"
        },
        { "Config with several mapping definitions", "foo.bar", "catchall{first=foo,job=foo-bar-,second=bar,third=}" },
        { "Config with several mapping definitions", "foo.bar.baz", "foo_bar_baz" },
        { "Config with several mapping definitions", "proxy-1.http-goober.success", "proxy_requests_total{endpoint=goober,job=proxy-1,protocol=http,result=success}" },
        { "Config with backtracking, the non-matched rule has star(s)", "whatever.dummy.test", "metric_one{attribute=test,system=whatever}" },
        { "Config with backtracking, the non-matched rule has star(s)", "full.name.anothertest", "metric_two{attribute=anothertest,system=static}" },
        { "Config with super sets, keeps ordering", "order.good.bbb", "testa{label=good_foo}" },
        { "Config with bad regex reference", "test.a", "name{label=}" },
        { "Config with good regex reference", "test.a", "name{label=a_foo}" },
        { "Match metric segment with a number", "test.99.myapp.create", "name{label=create_foo}" },
        { "Match metric segment starting with a number", "test.99test.myapp.create", "name{label=create_foo}" },
        { "Single segment match", "test", "single_segment{label=test}" },
        { "Config with multiple dashes in metric name", "foo--bar.count", "foo_bar_count" },
        { "Config with dynamic metric name", "test1.total_requests.count", "total_requests" },
        { "Config with dynamic metric name", "test2.total_requests.count", "total_requests_count" },
        { "Config with dynamic metric name", "test3.total_requests.count", "count_total_requests" },
        { "Config with a properly escaped *", "foo.test.a", "name{label=a_foo}" },
        { "Config with non-matched metric", "test.1.2", "test_1_2" },
        { "Config with labels from glob", "p.one.two.c.three", "issue_256{one=one,three=three,two=two}" },
        { "Example from the README", "test.dispatcher.FooProcessor.send.success", "dispatcher_events_total{action=send,job=test_dispatcher,outcome=success,processor=FooProcessor}" },
        { "Example from the README", "foo_product.signup.facebook.failure", "signup_events_total{job=foo_product_server,outcome=failure,provider=facebook}" },
        { "Example from the README", "test.web-server.foo.bar", "test_web_server_foo_bar" },
        { "Config that drops all", "test.a", "(dropped)" },
        { "Config that drops all", "abc", "(dropped)" },
        { "Config that has a catch-all to drop all", "test.a", "(dropped)" },
        { "Config that has a catch-all to drop all", "web.localhost", "web{site=localhost}" },
    };

    [Theory]
    [MemberData(nameof(UpstreamCases))]
    public void Maps_as_statsd_exporter_v0_28_0_does_in_its_own_tests(string config, string metric, string expected)
    {
        Assert.Equal(expected, StatsdMapper.Parse(s_configs[config]).Map(metric));
    }

    /// <summary>
    /// The files statsd-exporter v0.28.0 refuses at load, and so does not start with: upstream's own cases (configBad,
    /// each with its line in mapper_test.go; "New style quantiles", l. 675, is left out: the port has no summaries),
    /// and the checks of mapper.go and the types' UnmarshalYAML that no upstream case exercises (a partial glob against
    /// metricLineRE, l. 38; a name's end; a one-letter label key against labelNameRE, l. 40; the defaults' types; an
    /// empty metric type). The ones YAML itself refuses (an unquoted <c>*</c> is an alias)
    /// fail in the parser, as in yaml.v2.
    /// </summary>
    public static TheoryData<string, string, string> RefusedConfigs() => new()
    {
        { "l. 431 Config with bad metric line", "mappings:\n- match: bad!!metric-line.*.*\n  name: \"foo\"\n  labels: {}\n", "invalid match" },
        { "l. 486 Config with bad metric name", "mappings:\n- match: test.*.*\n  name: \"0foo\"\n  labels: {}\n", "doesn't match regex" },
        { "l. 496 Config with no metric name", "mappings:\n- match: test.*.*\n  labels:\n    this: \"$1\"\n", "didn't set a metric name" },
        { "l. 528 Config with an improperly escaped *", "mappings:\n- match: *.test.*\n  name: \"name\"\n  labels:\n    label: \"${1}_foo\"", "" },
        { "l. 653 Config with bad observer type", "mappings:\n- match: test.*.*\n  observer_type: wrong\n  name: \"foo\"\n  labels: {}\n", "invalid observer type" },
        { "l. 664 Config with bad deprecated timer type", "mappings:\n- match: test.*.*\n  timer_type: wrong\n  name: \"foo\"\n  labels: {}\n", "invalid timer type" },
        { "l. 1232 Config with bad metric type matcher", "mappings:\n- match: test.*.*\n  match_metric_type: wrong\n  name: \"foo\"\n  labels: {}\n", "invalid match metric type" },
        { "l. 1267 Config with uncompilable regex", "mappings:\n- match: \"*\\\\.foo\"\n  match_type: regex\n  name: \"foo\"\n  labels: {}\n", "invalid regex" },
        { "l. 1296 Config with no name", "mappings:\n- match: *\\.foo\n  match_type: regex\n  labels:\n    bar: \"foo\"\n", "" },
        { "l. 1661 invalid action set", "mappings:\n- match: test.*.*\n  name: \"foo\"\n  action: xyz\n", "invalid action" },
        { "l. 1685 invalid yaml example", "mappings:\n- match: \"test\\.(\\w+)\\.(\\w+)\\.counter\"\n  match_type: regex\n  name: \"${2}_total\"\n  labels:\n    provider: \"$1\"\n", "" },
        { "mapper.go l. 38: a partial glob", "mappings:\n- match: airflow.pool*.open_slots\n  name: \"foo\"\n", "invalid match" },
        { "mapper.go l. 39: a name ending in a newline (Go's $ is the text's end)", "mappings:\n- match: test.*\n  name: \"foo\\n\"\n", "doesn't match regex" },
        { "observer.go: a bad default observer type", "defaults:\n  observer_type: wrong\nmappings:\n- match: test.*\n  name: \"foo\"\n", "invalid observer type" },
        { "metric_type.go: an empty metric type", "mappings:\n- match: test.*\n  name: \"foo\"\n  match_metric_type: \"\"\n", "invalid match metric type" },
        { "mapper.go l. 40: a one-letter label key", "mappings:\n- match: test.*\n  name: \"foo\"\n  labels: {a: \"$1\"}\n", "invalid label key: a" },
    };

    [Theory]
    [MemberData(nameof(RefusedConfigs))]
    public void Refuses_what_statsd_exporter_v0_28_0_refuses_at_load(string name, string config, string message)
    {
        var refused = Assert.ThrowsAny<Exception>(() => StatsdMapper.Parse(config));
        Assert.True(refused is FormatException or YamlDotNet.Core.YamlException, $"{name}: {refused}");
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }
}
