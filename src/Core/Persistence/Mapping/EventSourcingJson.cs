using System.Collections;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace EventSourcing;

/// <summary>
/// The JSON settings for stored state. Events leave out their originator id and version (they are
/// columns). Aggregates, for snapshots, keep their private setters and getter-only collections.
/// </summary>
public static class EventSourcingJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(LeaveOutEventIdentity);
        resolver.Modifiers.Add(IncludeAggregateState);
        var options = new JsonSerializerOptions
        {
            TypeInfoResolver = resolver,
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.MakeReadOnly();
        return options;
    }

    private static void LeaveOutEventIdentity(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object || !typeof(DomainEvent).IsAssignableFrom(typeInfo.Type))
        {
            return;
        }

        for (var i = typeInfo.Properties.Count - 1; i >= 0; i--)
        {
            var name = (typeInfo.Properties[i].AttributeProvider as PropertyInfo)?.Name;
            if (name is nameof(DomainEvent.OriginatorId) or nameof(DomainEvent.OriginatorVersion))
            {
                typeInfo.Properties.RemoveAt(i);
            }
        }
    }

    private static void IncludeAggregateState(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object || !typeof(Aggregate).IsAssignableFrom(typeInfo.Type))
        {
            return;
        }

        if (!typeInfo.Type.IsAbstract)
        {
            var type = typeInfo.Type;
            typeInfo.CreateObject = () => AggregateFactory.New(type);
        }

        foreach (var property in typeInfo.Properties)
        {
            if (property.AttributeProvider is not PropertyInfo info || property.Set is not null)
            {
                continue;
            }

            if (info.GetSetMethod(nonPublic: true) is { } setter)
            {
                property.Set = CompileSetter(setter);
            }
            else if (IsMutableCollection(info.PropertyType))
            {
                // A getter-only collection, such as List<string> Tricks { get; } = [];
                property.ObjectCreationHandling = JsonObjectCreationHandling.Populate;
            }
        }

        // State kept in fields, such as a private list behind an IReadOnlyList property, must survive
        // snapshots and the cache too. Auto-property backing fields are covered by their properties.
        for (var type = typeInfo.Type; type is not null && type != typeof(Aggregate); type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.IsDefined(typeof(CompilerGeneratedAttribute)) || field.IsDefined(typeof(JsonIgnoreAttribute)))
                {
                    continue;
                }

                var property = typeInfo.CreateJsonPropertyInfo(field.FieldType, field.Name);
                property.Get = field.GetValue;
                property.Set = field.SetValue;
                typeInfo.Properties.Add(property);
            }
        }
    }

    /// <summary>A delegate calling a (private) setter: MethodInfo.Invoke costs an array and a box per property on every load.</summary>
    private static Action<object, object?> CompileSetter(MethodInfo setter)
    {
        var target = Expression.Parameter(typeof(object), "target");
        var value = Expression.Parameter(typeof(object), "value");
        var call = Expression.Call(
            Expression.Convert(target, setter.DeclaringType!),
            setter,
            Expression.Convert(value, setter.GetParameters()[0].ParameterType));
        return Expression.Lambda<Action<object, object?>>(call, target, value).Compile();
    }

    private static bool IsMutableCollection(Type type)
        => !type.IsArray
            && (typeof(IList).IsAssignableFrom(type)
                || typeof(IDictionary).IsAssignableFrom(type)
                || (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
                    && (definition == typeof(ICollection<>) || definition == typeof(IList<>) || definition == typeof(ISet<>) || definition == typeof(IDictionary<,>))));
}
