namespace EventSourcing.Grpc.Processes;

/// <summary>Where es-node is and how to start it.</summary>
public static class DotnetHost
{
    /// <summary>The dotnet executable: the one running this process when it is dotnet, else DOTNET_HOST_PATH, else dotnet on the PATH.</summary>
    public static string Executable
    {
        get
        {
            var self = Environment.ProcessPath;
            if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                return self;
            }

            return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        }
    }

    /// <summary>es-node.dll beside this program (it is built and copied with es-runner), or <paramref name="configured"/>.</summary>
    public static string NodeAssembly(string? configured = null)
    {
        var path = configured ?? Path.Combine(AppContext.BaseDirectory, "es-node.dll");
        return File.Exists(path)
            ? path
            : throw new ConfigurationException($"es-node not found at {path} (build src/Node, or set the node path)");
    }
}
