using System.Collections;

namespace EventSourcing;

/// <summary>
/// Settings of one application. A key is looked up as <c>{APPNAME}_{KEY}</c>, then <c>{KEY}</c>,
/// in the process environment overlaid with the values given by a runner or constructor (given values win).
/// </summary>
public sealed class ApplicationEnvironment
{
    private readonly Dictionary<string, string> _values;

    public ApplicationEnvironment(string applicationName, IReadOnlyDictionary<string, string>? given = null, bool includeProcessEnvironment = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(applicationName);
        ApplicationName = applicationName;
        Prefix = applicationName.ToUpperInvariant() + "_";
        _values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (includeProcessEnvironment)
        {
            foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            {
                _values[(string)entry.Key] = entry.Value as string ?? string.Empty;
            }
        }

        if (given is not null)
        {
            foreach (var (key, value) in given)
            {
                _values[key] = value;
            }
        }
    }

    public string ApplicationName { get; }

    /// <summary>The application's prefix: its name upper-cased, then an underscore (<c>DOGSCHOOL_</c>).</summary>
    public string Prefix { get; }

    /// <summary>The given values and the process environment merged (for handing on to another application).</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>The value of <c>{APPNAME}_{key}</c>, else <c>{key}</c>; null when neither is set or the value is empty.</summary>
    public string? Get(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (_values.TryGetValue(Prefix + key, out var value) && value.Length > 0)
        {
            return value;
        }

        return _values.TryGetValue(key, out value) && value.Length > 0 ? value : null;
    }

    /// <summary>The name under which <paramref name="key"/> was found, for error messages.</summary>
    public string NameOf(string key)
        => _values.TryGetValue(Prefix + key, out var value) && value.Length > 0 ? Prefix + key : key;

    public string GetRequired(string key)
        => Get(key) ?? throw new ConfigurationException(
            $"Application {ApplicationName}: setting {Prefix}{key} (or {key}) is required but not set");

    public bool GetBool(string key, bool defaultValue)
    {
        var value = Get(key);
        if (value is null)
        {
            return defaultValue;
        }

        return value.Trim().ToLowerInvariant() switch
        {
            "y" or "yes" or "t" or "true" or "on" or "1" => true,
            "n" or "no" or "f" or "false" or "off" or "0" => false,
            _ => throw new ConfigurationException(
                $"Application {ApplicationName}: {NameOf(key)}='{value}' is not a boolean (use true or false)"),
        };
    }

    public int GetInt(string key, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        var value = Get(key);
        if (value is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(value.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var result)
            || result < min || result > max)
        {
            throw new ConfigurationException(
                $"Application {ApplicationName}: {NameOf(key)}='{value}' is not a whole number from {min} to {max}");
        }

        return result;
    }

    public double GetDouble(string key, double defaultValue, double min = 0, double max = double.MaxValue)
    {
        var value = Get(key);
        if (value is null)
        {
            return defaultValue;
        }

        if (!double.TryParse(value.Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var result)
            || result < min || result > max)
        {
            throw new ConfigurationException(
                $"Application {ApplicationName}: {NameOf(key)}='{value}' is not a number from {min} to {max}");
        }

        return result;
    }

    /// <summary>The settings as another application named <paramref name="applicationName"/> sees them (same values, other prefix).</summary>
    public ApplicationEnvironment For(string applicationName) => new(applicationName, _values, includeProcessEnvironment: false);
}
