using System.Diagnostics;
using System.Diagnostics.Metrics;
using EventSourcing.Diagnostics;

namespace EventSourcing.Grpc.Hosting;

/// <summary>
/// A remote call's span ("command DogSchool.AddTrick", current while the method runs, so that what it records is
/// recorded within it) and its count on <see cref="TelemetryNames.Commands"/>. Without a listener, neither allocates.
/// </summary>
internal sealed class CommandTelemetry
{
    private static readonly Counter<long> Commands = Telemetry.Meter.CreateCounter<long>(
        TelemetryNames.Commands, "{command}", "Remote calls (Application.Call) served, commands and queries, by method and outcome");

    private readonly string _application;
    private readonly string _method;
    private readonly string _spanName;

    public CommandTelemetry(string application, string method)
    {
        _application = application;
        _method = method;
        _spanName = $"command {application}.{method}";
    }

    /// <summary>Starts the call's span, or returns null when nobody listens.</summary>
    public Activity? Start()
    {
        var activity = Telemetry.ActivitySource.StartActivity(_spanName, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(TelemetryNames.ApplicationTag, _application);
            activity.SetTag(TelemetryNames.MethodTag, _method);
        }

        return activity;
    }

    public void Succeeded(Activity? activity)
    {
        activity?.SetTag(TelemetryNames.OutcomeTag, TelemetryNames.Ok);
        if (Commands.Enabled)
        {
            Commands.Add(1, Tags(TelemetryNames.Ok));
        }
    }

    public void Failed(Activity? activity, Exception error)
    {
        var errorType = error.GetType().FullName;
        if (activity is not null)
        {
            activity.SetTag(TelemetryNames.OutcomeTag, TelemetryNames.Error);
            activity.SetTag(TelemetryNames.ErrorTypeTag, errorType);
            activity.SetStatus(ActivityStatusCode.Error, error.Message);
            activity.AddException(error);
        }

        if (Commands.Enabled)
        {
            var tags = Tags(TelemetryNames.Error);
            tags.Add(TelemetryNames.ErrorTypeTag, errorType);
            Commands.Add(1, tags);
        }
    }

    private TagList Tags(string outcome) => new()
    {
        { TelemetryNames.ApplicationTag, _application },
        { TelemetryNames.MethodTag, _method },
        { TelemetryNames.OutcomeTag, outcome },
    };
}
