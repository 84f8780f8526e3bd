using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace EventSourcing;

/// <summary>Creates empty aggregates through their parameterless constructor, public or not, compiled once per type.</summary>
internal static class AggregateFactory
{
    private static readonly ConcurrentDictionary<Type, Func<Aggregate>> Factories = new();

    public static TAggregate New<TAggregate>()
        where TAggregate : Aggregate => (TAggregate)New(typeof(TAggregate));

    public static Aggregate New(Type type) => Factories.GetOrAdd(type, Compile)();

    private static Func<Aggregate> Compile(Type type)
    {
        if (!typeof(Aggregate).IsAssignableFrom(type) || type.IsAbstract)
        {
            throw new ProgrammingException($"{type.FullName} is not a concrete aggregate type");
        }

        var constructor = type.GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes)
            ?? throw new ProgrammingException(
                $"Aggregate {type.FullName} needs a parameterless constructor (it may be private) to be rebuilt from its events");
        return Expression.Lambda<Func<Aggregate>>(Expression.New(constructor)).Compile();
    }
}
