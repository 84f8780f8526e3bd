namespace EventSourcing.Grpc.Hosting;

/// <summary>
/// The lines that count in a settings file a person writes (a token file, an env file): trimmed, with blank lines and
/// lines starting with <c>#</c> left out, each with its line number for errors.
/// </summary>
public static class SettingsFile
{
    /// <param name="name">How errors name the file, e.g. <c>Token file PATH</c> or <c>--env-file PATH</c>.</param>
    /// <exception cref="ConfigurationException">The file cannot be read.</exception>
    public static IReadOnlyList<(int Number, string Text)> Lines(string path, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"{name} cannot be read: {ex.Message}", ex);
        }

        return [.. lines.Select((line, i) => (Number: i + 1, Text: line.Trim())).Where(line => line.Text.Length > 0 && !line.Text.StartsWith('#'))];
    }
}
