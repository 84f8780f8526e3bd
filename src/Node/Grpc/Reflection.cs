using Google.Protobuf.Reflection;
using Grpc.Health.V1;
using Grpc.Reflection;
using Grpc.Reflection.V1Alpha;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.Node.Grpc;

/// <summary>
/// Server reflection that also describes the standard error details (<c>google.rpc.ErrorInfo</c>,
/// <c>google.rpc.BadRequest</c>): no service refers to them, so reflection built from the services alone could not
/// tell grpcurl how to decode the details of an error.
/// </summary>
internal static class Reflection
{
    public static ReflectionServiceImpl Create()
    {
        Google.Protobuf.Reflection.ServiceDescriptor[] services =
        [
            Proto.NotificationLog.Descriptor,
            Proto.Application.Descriptor,
            Proto.Node.Descriptor,
            Health.Descriptor,
            ServerReflection.Descriptor,
        ];
        FileDescriptor[] files = [.. services.Select(s => s.File), Google.Rpc.ErrorDetailsReflection.Descriptor, Google.Rpc.StatusReflection.Descriptor];
        return new ReflectionServiceImpl(services.Select(s => s.FullName), SymbolRegistry.FromFiles(files));
    }
}
