using System.Runtime.InteropServices;

namespace EventSourcing.Grpc.Processes;

/// <summary>Where es-node is and how to start it.</summary>
public static class DotnetHost
{
    /// <summary>
    /// The dotnet executable: the one running this process when it is dotnet; else the dotnet of the installation
    /// whose runtime runs this process (a program started by its own executable, such as an installed tool's
    /// command, may have found that runtime without dotnet on the PATH); else DOTNET_HOST_PATH; else dotnet on the PATH.
    /// </summary>
    public static string Executable
    {
        get
        {
            var self = Environment.ProcessPath;
            if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                return self;
            }

            if (RuntimeInstallationHost() is { } host)
            {
                return host;
            }

            return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } configured ? configured : "dotnet";
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

    /// <summary>ROOT/dotnet for a runtime in ROOT/shared/Microsoft.NETCore.App/VERSION, if it is there (a self-contained program has none).</summary>
    private static string? RuntimeInstallationHost()
    {
        var runtime = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory());
        var root = runtime.Parent?.Parent?.Parent;
        if (root is null || runtime.Parent!.Name != "Microsoft.NETCore.App" || runtime.Parent.Parent!.Name != "shared")
        {
            return null;
        }

        var host = Path.Combine(root.FullName, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : null;
    }
}
