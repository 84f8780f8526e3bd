using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using EventSourcing.Grpc.Processes;
using EventSourcing.Testing;
using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests;

/// <summary>
/// The packages as a person makes and uses them: <c>dotnet pack EventSourcing.Packages.slnf</c>, the library
/// packages' README, license and symbols, and the es-runner tool installed from the folder packed into, running the
/// tutorial. The pack builds in a directory of the test's own (ArtifactsPath): the bin and obj directories that the
/// other tests run from, in this run or beside it, are not touched.
/// </summary>
public sealed partial class PackageTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>A Release build of the libraries, es-node and es-runner on a small, busy machine.</summary>
    private static readonly TimeSpan PackDeadline = TimeSpan.FromMinutes(10);

    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Pack_makes_the_libraries_with_readme_license_and_symbols_and_the_installed_es_runner_tool_runs_the_demo()
    {
        var packages = _temp.File("packages");
        var pack = await DotnetAsync(
            ["pack", Path.Combine(Commands.RepositoryRoot(), "EventSourcing.Packages.slnf"), "-o", packages, $"-p:ArtifactsPath={_temp.File("artifacts")}", "--disable-build-servers"],
            PackDeadline);
        Assert.True(pack.ExitCode == 0, $"dotnet pack failed:\n{pack.Output}\n{pack.Error}");

        var version = VersionOf(packages, "es-runner");
        foreach (var tool in new[] { "es-runner", "es-node" })
        {
            // The package dotnet tool install asks for, and the one per platform it points to: compiled ahead of
            // time for linux-x64, portable for any other.
            foreach (var package in new[] { $"{tool}.{version}", $"{tool}.linux-x64.{version}", $"{tool}.any.{version}" })
            {
                Assert.True(File.Exists(Path.Combine(packages, $"{package}.nupkg")), $"{package}.nupkg beside es-runner's");
            }
        }

        foreach (var library in new[] { "EventSourcing.Core", "EventSourcing.Grpc" })
        {
            AssertLibraryPackage(packages, library, version);
        }

        // The packages folder beside the served registry, with a packages cache of the test's own: only the version
        // just packed, from that folder, can be installed.
        var tools = _temp.File("tools");
        var install = await DotnetAsync(
            ["tool", "install", "es-runner", "--tool-path", tools, "--add-source", packages, "--version", version],
            PackDeadline,
            start => start.Environment["NUGET_PACKAGES"] = _temp.File("nuget-packages"));
        Assert.True(install.ExitCode == 0, $"dotnet tool install failed:\n{install.Output}\n{install.Error}");
        var platform = RuntimeInformation.RuntimeIdentifier == "linux-x64" ? "linux-x64" : "any";
        var installed = Path.Combine(tools, ".store", "es-runner", version, $"es-runner.{platform}", version, "tools", "net10.0", platform);
        Assert.True(File.Exists(Path.Combine(installed, "es-node.dll")), $"es-node.dll beside the installed es-runner in {installed}");
        if (platform == "linux-x64")
        {
            foreach (var assembly in new[] { "es-runner.dll", "es-node.dll", "EventSourcing.Core.dll", "EventSourcing.Grpc.dll" })
            {
                Assert.True(IsReadyToRun(Path.Combine(installed, assembly)), $"{assembly} of the installed es-runner is compiled ahead of time (ReadyToRun)");
            }
        }

        var data = _temp.File("data");
        var run = await Commands.RunAsync(
            Path.Combine(tools, OperatingSystem.IsWindows() ? "es-runner.exe" : "es-runner"),
            ["run", "--system", "DogSchool", "--demo", "--data-dir", data],
            NodeHarness.Deadline * 2,
            start =>
            {
                start.WorkingDirectory = _temp.Path;
                AsInAShellWithoutDotnetOnThePath(start.Environment);
            });
        var lines = run.Output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var line in lines)
        {
            TestLog.Write(output, line);
        }

        Assert.True(run.ExitCode == 0, $"the installed es-runner exited with {run.ExitCode}: {run.Error}");
        Assert.Contains($"no PERSISTENCE_MODULE configured: each application keeps its events in a SQLite file in {data}", lines);
        Assert.Contains(lines, l => l.StartsWith("RegisterDog Billy -> ee4f99b5-a356-54a9-b61a-13b59c26f3fb", StringComparison.Ordinal));
        Assert.Contains("count roll over = 3", lines);
        Assert.Contains("count fetch ball = 2", lines);
        Assert.Contains("count play dead = 1", lines);
        Assert.True(File.Exists(Path.Combine(data, "dogschool.sqlite")), "DogSchool's SQLite file in the data directory");
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>The package's README.md (the library's own), its MIT license expression, and its PDB in the .snupkg beside it.</summary>
    private static void AssertLibraryPackage(string packages, string library, string version)
    {
        var path = Path.Combine(packages, $"{library}.{version}.nupkg");
        Assert.True(File.Exists(path), $"{library}.{version}.nupkg");
        using (var package = ZipFile.OpenRead(path))
        {
            var nuspec = package.GetEntry($"{library}.nuspec") ?? throw new Xunit.Sdk.XunitException($"{path} has no {library}.nuspec");
            XElement metadata;
            using (var stream = nuspec.Open())
            {
                metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            }

            var license = metadata.Elements().Single(e => e.Name.LocalName == "license");
            Assert.Equal("expression", license.Attribute("type")?.Value);
            Assert.Equal("MIT", license.Value);
            Assert.Equal("README.md", metadata.Elements().Single(e => e.Name.LocalName == "readme").Value);
            var readme = package.GetEntry("README.md") ?? throw new Xunit.Sdk.XunitException($"{path} has no README.md");
            using var reader = new StreamReader(readme.Open());
            Assert.StartsWith($"# {library}\n", reader.ReadToEnd(), StringComparison.Ordinal);
        }

        var symbolsPath = Path.Combine(packages, $"{library}.{version}.snupkg");
        Assert.True(File.Exists(symbolsPath), $"{library}.{version}.snupkg beside the package");
        using var symbols = ZipFile.OpenRead(symbolsPath);
        Assert.Contains(symbols.Entries, e => e.FullName == $"lib/net10.0/{library}.pdb");
    }

    /// <summary>Whether the assembly carries native code compiled ahead of time (a ReadyToRun header).</summary>
    private static bool IsReadyToRun(string assembly)
    {
        using var pe = new PEReader(File.OpenRead(assembly));
        return pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
    }

    /// <summary>The version of the one <paramref name="id"/> package in <paramref name="packages"/>.</summary>
    private static string VersionOf(string packages, string id)
    {
        var versions = Directory.GetFiles(packages, $"{id}.*.nupkg")
            .Select(file => PackageFileName().Match(Path.GetFileName(file)))
            .Where(match => match.Success && match.Groups["id"].Value == id)
            .Select(match => match.Groups["version"].Value)
            .ToList();
        return Assert.Single(versions);
    }

    /// <summary>
    /// A user's shell: the dotnet installation named by DOTNET_ROOT rather than found on the PATH, none of the
    /// variables the test run's dotnet sets for what it starts, and persistence left to es-runner's default.
    /// </summary>
    private static void AsInAShellWithoutDotnetOnThePath(IDictionary<string, string?> environment)
    {
        var dotnet = new FileInfo(DotnetHost.Executable);
        var root = (dotnet.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? dotnet).DirectoryName!;
        var path = (environment.TryGetValue("PATH", out var value) ? value ?? string.Empty : string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(directory => !File.Exists(Path.Combine(directory, dotnet.Name)));
        environment["PATH"] = string.Join(Path.PathSeparator, path);
        environment["DOTNET_ROOT"] = root;
        foreach (var key in environment.Keys.Where(k => k == "DOTNET_HOST_PATH" || k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
            || k.EndsWith("PERSISTENCE_MODULE", StringComparison.Ordinal) || k.EndsWith("SQLITE_DBNAME", StringComparison.Ordinal)).ToList())
        {
            environment.Remove(key);
        }
    }

    private static Task<(int ExitCode, string Output, string Error)> DotnetAsync(string[] args, TimeSpan deadline, Action<System.Diagnostics.ProcessStartInfo>? configure = null)
        => Commands.RunAsync(DotnetHost.Executable, args, deadline, configure);

    [GeneratedRegex(@"^(?<id>.+?)\.(?<version>\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?)\.nupkg$")]
    private static partial Regex PackageFileName();
}
