using Xunit.Abstractions;

namespace EventSourcing.Integration.Tests;

internal static class TestLog
{
    /// <summary>Writes a node's line to the test output; lines that arrive after the test ended are dropped.</summary>
    public static void Write(ITestOutputHelper output, string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // No test is active any more (a node printed while being stopped).
        }
    }
}
