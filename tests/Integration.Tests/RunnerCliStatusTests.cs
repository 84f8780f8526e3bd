using EventSourcing.Testing;

namespace EventSourcing.Integration.Tests;

/// <summary>es-runner status on a running system: its nodes, the edges between them and the paths through them.</summary>
public sealed partial class RunnerCliTests
{
    [Fact]
    public async Task Status_finds_a_system_run_as_assembly_and_type_by_the_same_words()
    {
        using var runner = StartRunner("run", "--system", ChainSystem, "--data-dir", _data.Path, "--env", "PERSISTENCE_MODULE=popo");
        await NodeLinesAsync(runner, 3);

        var status = await RunToEndAsync("status", "--system", ChainSystem, "--data-dir", _data.Path);

        Assert.Equal(0, status.ExitCode);
        Assert.Contains(status.Lines, l => l.StartsWith("Newsletter", StringComparison.Ordinal) && l.Contains("Catalogue 0/0", StringComparison.Ordinal));
    }

    /// <summary>The three-application chain of tests/UserSystem, as path/to/Assembly.dll:Namespace.Type.</summary>
    private static string ChainSystem => $"{UserSystemAssembly}:EventSourcing.UserSystem.LendingLibraryChainSystem";
}
