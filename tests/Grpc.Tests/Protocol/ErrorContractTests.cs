using EventSourcing.Grpc.Protocol;
using Google.Rpc;
using Grpc.Core;

namespace EventSourcing.Grpc.Tests.Protocol;

/// <summary>What a node sends for each error, and what a client makes of it again.</summary>
public class ErrorContractTests
{
    public static TheoryData<Exception, StatusCode, string> Errors => new()
    {
        { new RemoteMethodNotFoundException("DogSchool", "Bark", ["AddTrick", "GetDog"]), StatusCode.NotFound, ErrorReasons.MethodNotFound },
        { new RemoteArgumentException("AddTrick: argument 2 (trick) must be a string, got 7", "args[1]"), StatusCode.InvalidArgument, ErrorReasons.BadArguments },
        { new AggregateNotFoundException(Guid.Parse("ee4f99b5-a356-54a9-b61a-13b59c26f3fb"), 3), StatusCode.NotFound, ErrorReasons.AggregateNotFound },
        { new ConcurrencyException("Aggregate changed at version 4"), StatusCode.Aborted, ErrorReasons.VersionConflict },
        { new IntegrityException("Notification 7 of DogSchool is already tracked"), StatusCode.AlreadyExists, ErrorReasons.IntegrityError },
        { new ArgumentException("A dog needs a name", "name"), StatusCode.InvalidArgument, ErrorReasons.ArgumentRejected },
        { new OperationalException("connection refused", isTransient: true), StatusCode.Unavailable, ErrorReasons.StoreUnavailable },
        { new ConfigurationException("SQLITE_DBNAME is required"), StatusCode.FailedPrecondition, ErrorReasons.ConfigurationError },
        { new ProgrammingException("relation \"dogschool_events\" does not exist"), StatusCode.FailedPrecondition, ErrorReasons.ProgrammingError },
        { new DecodingException("wrong key"), StatusCode.DataLoss, ErrorReasons.DecodingFailed },
        { new InvalidOperationException("The game is over"), StatusCode.FailedPrecondition, ErrorReasons.InvalidOperation },
        { new EventSequenceException("out of sequence"), StatusCode.FailedPrecondition, ErrorReasons.ApplicationError },
        { new NullReferenceException("oops"), StatusCode.Internal, ErrorReasons.Internal },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void A_node_answers_each_error_with_its_code_and_a_stable_reason(Exception error, StatusCode code, string reason)
    {
        var status = ErrorContract.ToRpcException(error);

        Assert.Equal(code, status.StatusCode);
        Assert.Equal(reason, ErrorContract.ReasonOf(status));
        Assert.Equal(ErrorReasons.Domain, status.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Domain);
        // An argument's name travels as a BadRequest field, not in the message.
        var message = error is ArgumentException { ParamName: { } name } ? error.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : error.Message;
        Assert.Contains(message, status.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public void A_client_raises_the_applications_exception_again(Exception error, StatusCode code, string reason)
    {
        _ = code;
        var raised = ErrorContract.ToException(ErrorContract.ToRpcException(error), "DogSchool");

        if (reason is ErrorReasons.ApplicationError or ErrorReasons.Internal)
        {
            var remote = Assert.IsType<RemoteCallException>(raised);
            Assert.Equal(reason, remote.Reason);
        }
        else
        {
            Assert.IsType(error.GetType(), raised);
            Assert.Equal(error.Message, raised.Message);
        }
    }

    [Fact]
    public void An_aggregate_not_found_comes_back_with_its_id_and_version()
    {
        var id = Guid.NewGuid();

        var raised = Assert.IsType<AggregateNotFoundException>(ErrorContract.ToException(ErrorContract.ToRpcException(new AggregateNotFoundException(id, 5)), "DogSchool"));

        Assert.Equal(id, raised.AggregateId);
        Assert.Equal(5, raised.Version);
    }

    [Fact]
    public void A_bad_argument_names_the_field_in_a_bad_request()
    {
        var status = ErrorContract.ToRpcException(new RemoteArgumentException("AddTrick: argument 2 (trick) must be a string, got 7", "args[1]"));

        var violation = Assert.Single(status.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal("args[1]", violation.Field);
        Assert.Equal("args[1]", Assert.IsType<RemoteArgumentException>(ErrorContract.ToException(status, "DogSchool")).Field);
    }

    [Fact]
    public void An_argument_the_application_rejects_comes_back_with_its_parameter_name()
    {
        var raised = Assert.IsType<ArgumentException>(ErrorContract.ToException(ErrorContract.ToRpcException(new ArgumentException("A dog needs a name", "name")), "DogSchool"));

        Assert.Equal("name", raised.ParamName);
    }

    [Fact]
    public void A_bad_request_field_is_invalid_argument_naming_the_field()
    {
        var status = ErrorContract.BadRequest("limit", "limit must be from 1 to 10000, got 0");

        Assert.Equal(StatusCode.InvalidArgument, status.StatusCode);
        Assert.Equal(ErrorReasons.BadRequest, ErrorContract.ReasonOf(status));
        Assert.Equal("limit", ErrorContract.FieldOf(status));
    }

    [Fact]
    public void A_store_error_keeps_whether_it_is_transient()
    {
        var transient = ErrorContract.ToException(ErrorContract.ToRpcException(new OperationalException("lock timeout", isTransient: true)), "DogSchool");
        var lasting = ErrorContract.ToException(ErrorContract.ToRpcException(new OperationalException("disk full")), "DogSchool");

        Assert.True(Assert.IsType<OperationalException>(transient).IsTransient);
        Assert.False(Assert.IsType<OperationalException>(lasting).IsTransient);
    }

    [Fact]
    public void A_node_that_cannot_be_reached_is_a_transient_operational_error_naming_it()
    {
        var refused = new RpcException(new global::Grpc.Core.Status(StatusCode.Unavailable, "Error connecting to subchannel."));

        var raised = Assert.IsType<OperationalException>(ErrorContract.ToException(refused, "DogSchool"));

        Assert.True(raised.IsTransient);
        Assert.StartsWith("DogSchool is unavailable", raised.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_info_of_another_domain_is_not_taken_for_ours()
    {
        var foreign = new Google.Rpc.Status
        {
            Code = (int)Code.NotFound,
            Message = "no such dog",
            Details = { Google.Protobuf.WellKnownTypes.Any.Pack(new ErrorInfo { Domain = "example.com", Reason = ErrorReasons.AggregateNotFound }) },
        }.ToRpcException();

        var raised = Assert.IsType<RemoteCallException>(ErrorContract.ToException(foreign, "DogSchool"));
        Assert.Null(raised.Reason);
        Assert.Equal(StatusCode.NotFound, raised.StatusCode);
    }
}
