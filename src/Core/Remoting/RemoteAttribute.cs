namespace EventSourcing;

/// <summary>
/// Marks an interface whose methods a node may call over gRPC (<c>Application.Call</c>). An application
/// exposes exactly the methods of the <c>[Remote]</c> interfaces it implements; nothing else is callable.
/// Methods return <see cref="Task"/> or <see cref="Task{TResult}"/> and may end with a <see cref="CancellationToken"/>;
/// the remote name leaves off the <c>Async</c> suffix (<c>RegisterDogAsync</c> is called as <c>RegisterDog</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Interface, Inherited = false)]
public sealed class RemoteAttribute : Attribute;
