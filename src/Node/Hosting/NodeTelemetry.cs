using EventSourcing.Diagnostics;
using EventSourcing.Grpc.Hosting;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EventSourcing.Node.Hosting;

/// <summary>
/// The node's OpenTelemetry: the library's <see cref="Telemetry.Meter"/> and <see cref="Telemetry.ActivitySource"/>,
/// with ASP.NET Core's, the gRPC client's, Npgsql's and the runtime's own instrumentation, exported over OTLP
/// (configured by the standard <c>OTEL_*</c> variables) and/or to a Prometheus scrape endpoint. With neither asked
/// for, nothing is added, and the instruments stay without a listener.
/// </summary>
internal static class NodeTelemetry
{
    private const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    private const string SdkDisabledVariable = "OTEL_SDK_DISABLED";
    private const string ServiceNameVariable = "OTEL_SERVICE_NAME";
    private static readonly string[] OtlpSignalEndpointVariables = ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"];
    private static readonly PathString HealthServicePath = "/grpc.health.v1.Health";

    /// <summary>True when the node exports over OTLP: <c>--otlp</c>, or an OTLP endpoint in the environment.</summary>
    public static bool ExportsOtlp(NodeOptions options)
        => options.Otlp || IsSet(OtlpEndpointVariable) || OtlpSignalEndpointVariables.Any(IsSet);

    /// <summary>True when <c>OTEL_SDK_DISABLED=true</c> turns OpenTelemetry off, as the specification says.</summary>
    public static bool Disabled => string.Equals(Environment.GetEnvironmentVariable(SdkDisabledVariable)?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    public static void Add(WebApplicationBuilder builder, NodeOptions options, HostedApplication hosted)
    {
        var otlp = ExportsOtlp(options);
        var prometheus = options.Metrics is not null;
        if ((!otlp && !prometheus) || Disabled)
        {
            return;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // OTEL_SERVICE_NAME (read by the SDK) wins; otherwise each node is a service named after its application.
                if (!IsSet(ServiceNameVariable))
                {
                    resource.AddService(hosted.Application.Name, serviceNamespace: hosted.SystemName);
                }
            })
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(Telemetry.Name)
                    .AddMeter("System.Runtime")
                    .AddAspNetCoreInstrumentation()
                    .AddNpgsqlInstrumentation();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }

                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(Telemetry.Name)
                // Probes ask for health every few seconds: their spans would drown the calls.
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !context.Request.Path.StartsWithSegments(HealthServicePath, StringComparison.Ordinal))
                .AddGrpcClientInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter());
        }
    }

    private static bool IsSet(string variable) => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(variable));
}
