using System.Text;
using System.Text.RegularExpressions;

namespace EventSourcing.Runner.Cli.Manifests;

/// <summary>
/// systemd: a service unit per application that runs es-node, restarted on failure, started after its leaders' units;
/// the settings in an env file written beside the units, the secret settings and the credentials in files of the
/// configuration directory that the units name.
/// </summary>
internal static partial class SystemdManifest
{
    public const string SettingsFile = "settings.env";
    public const string SecretsFile = "secrets.env";
    public const string User = "eventsourcing";
    private const string StateRoot = "/var/lib/";

    public static IReadOnlyList<ManifestFile> Write(SystemLayout layout, string configDir)
    {
        var files = layout.Nodes.Select(node => new ManifestFile(UnitName(layout, node), Unit(layout, node, configDir))).ToList();
        var settings = new StringBuilder();
        settings.Append($"# The settings of every node of the {layout.SystemName} system (no secrets: those go in {SecretsFile}).\n");
        foreach (var (key, value) in layout.Settings)
        {
            settings.Append(key).Append('=').Append(Quoted(value, escapeSpecifiers: false)).Append('\n');
        }

        files.Add(new ManifestFile(SettingsFile, settings.ToString()));
        return files;
    }

    public static string UnitName(SystemLayout layout, LayoutNode node) => $"{layout.ResourceName}-{node.ResourceName}.service";

    private static string Unit(SystemLayout layout, LayoutNode node, string configDir)
    {
        var placement = layout.Placement;
        var after = string.Join(' ', ["network-online.target", .. node.StartsAfter.Select(leader => UnitName(layout, layout.Node(leader)))]);
        var wants = string.Join(' ', ["network-online.target", .. node.Leaders.Select(leader => UnitName(layout, layout.Node(leader)))]);
        var unit = new StringBuilder();
        foreach (var comment in (IEnumerable<string>)
        [
            $"The {layout.SystemName} system under systemd, written by es-runner manifest: the application {node.Name}.",
            $"It reads {configDir}/{SettingsFile} (written with the units), and these files, which you create there:",
            .. ManifestText.CredentialsHelp(placement.Credentials, [placement.ListenHost]),
        ])
        {
            unit.Append("# ").Append(comment).Append('\n');
        }

        unit.Append($"""
            [Unit]
            Description={layout.SystemName}: the application {node.Name} (es-node)
            After={after}
            Wants={wants}

            [Service]
            Type=exec
            User={User}
            Group={User}
            EnvironmentFile={configDir}/{SettingsFile}
            EnvironmentFile={configDir}/{SecretsFile}

            """);
        if (node.KeepsFiles && placement.DataDir.StartsWith(StateRoot, StringComparison.Ordinal))
        {
            unit.Append($"StateDirectory={placement.DataDir[StateRoot.Length..].TrimEnd('/')}\n");
        }

        unit.Append($"""
            ExecStart={string.Join(' ', ManifestText.Command(layout, node).Select(a => Quoted(a, escapeSpecifiers: true)))}
            Restart=on-failure
            RestartSec=2

            [Install]
            WantedBy=multi-user.target

            """);
        return unit.ToString();
    }

    /// <summary>
    /// A word of a command line or a value of an env file as systemd reads it back: in double quotes when it has more
    /// than plain characters; with <c>%</c> and <c>$</c> doubled on a command line, where they would be expanded.
    /// </summary>
    private static string Quoted(string text, bool escapeSpecifiers)
    {
        if (escapeSpecifiers)
        {
            text = text.Replace("%", "%%", StringComparison.Ordinal).Replace("$", "$$", StringComparison.Ordinal);
        }

        return PlainWord().IsMatch(text)
            ? text
            : "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    [GeneratedRegex(@"^[A-Za-z0-9_@%+=:,./$-]+$")]
    private static partial Regex PlainWord();
}
