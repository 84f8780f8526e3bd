using System.CommandLine;
using System.Globalization;
using Grpc.Core;
using Grpc.Health.V1;

namespace EventSourcing.Grpc.Hosting;

/// <summary>
/// <c>es-node health --url URL</c>: asks a node's <c>grpc.health.v1</c> service whether it is SERVING, and exits 0 when
/// it is, 1 when it is not or cannot be reached, so that a container's health check needs no other tool.
/// </summary>
public static class HealthCommand
{
    public const string Name = "health";

    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "The node's address, http://HOST:PORT or https://HOST:PORT (its --listen or --health-listen)", Required = true };
        var service = new Option<string>("--service")
        {
            Description = "The service to ask about: empty for the node itself (its store answers), pipe/LEADER for one of its pipes",
            DefaultValueFactory = _ => string.Empty,
        };
        var tlsCa = new Option<string?>(NodeCommandLine.TlsCaOption) { Description = "For https: the PEM CA certificate the node's certificate must be issued by (default: the system's roots)" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the answer", DefaultValueFactory = _ => 5 };
        var command = new Command(Name, "Ask a node whether it is healthy: exit 0 when it says SERVING, 1 otherwise") { url, service, tlsCa, timeout };
        command.SetAction((parsed, cancellationToken) => CheckAsync(
            parsed.GetValue(url)!,
            parsed.GetValue(service)!,
            parsed.GetValue(tlsCa),
            TimeSpan.FromSeconds(Math.Max(0.1, parsed.GetValue(timeout))),
            cancellationToken));
        return command;
    }

    /// <summary>Prints the node's answer (or why there was none) and returns the exit code: 0 for SERVING, else 1.</summary>
    public static async Task<int> CheckAsync(string url, string service, string? tlsCa, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var name = service.Length == 0 ? url : $"{url} ({service})";
        try
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || (address.Scheme != "http" && address.Scheme != "https") || address.AbsolutePath != "/")
            {
                throw new ConfigurationException($"--url '{url}' is not http://HOST:PORT or https://HOST:PORT");
            }

            using var trusted = tlsCa is null ? null : PemFiles.Certificate(tlsCa, NodeCommandLine.TlsCaOption);
            using var client = new NodeClient(address, trustedCertificate: trusted);
            var response = await client.Health.CheckAsync(new HealthCheckRequest { Service = service }, deadline: DateTime.UtcNow.Add(timeout), cancellationToken: cancellationToken);
            Console.WriteLine($"{name}: {ToName(response.Status)}");
            return response.Status == HealthCheckResponse.Types.ServingStatus.Serving ? 0 : 1;
        }
        catch (RpcException ex)
        {
            await Console.Error.WriteLineAsync($"es-node health: {name}: {ex.StatusCode}: {ex.Status.Detail}");
            return 1;
        }
        catch (ConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"es-node health: {ex.Message}");
            return 1;
        }
    }

    private static string ToName(HealthCheckResponse.Types.ServingStatus status) => status switch
    {
        HealthCheckResponse.Types.ServingStatus.Serving => "SERVING",
        HealthCheckResponse.Types.ServingStatus.NotServing => "NOT_SERVING",
        HealthCheckResponse.Types.ServingStatus.ServiceUnknown => "SERVICE_UNKNOWN",
        HealthCheckResponse.Types.ServingStatus.Unknown => "UNKNOWN",
        _ => ((int)status).ToString(CultureInfo.InvariantCulture),
    };
}
