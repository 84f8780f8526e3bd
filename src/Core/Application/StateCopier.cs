using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace EventSourcing;

/// <summary>
/// Deep copies of aggregates (and of events), for the aggregate cache. Every object reachable from the aggregate's
/// fields is copied field by field (public or not, declared by the aggregate or its bases), except what cannot change,
/// which the copy shares: strings, boxed primitives, enums and read-only structs without references, types and other
/// reflection objects, comparers without state of their own, and a few immutable classes. An object reached twice is
/// copied once, so shared references and cycles are kept; a delegate whose target is copied is made again for the
/// copied target (a handler an aggregate registered on itself acts on the copy). A
/// <see cref="Dictionary{TKey,TValue}"/> or <see cref="HashSet{T}"/> whose keys are mutable objects is rebuilt, since
/// the copied keys' hash codes may differ from the originals'. No constructor or property of the copied types runs
/// (a rebuilt dictionary or set calls its keys' <c>GetHashCode</c> and <c>Equals</c>).
/// </summary>
/// <remarks>
/// The copy costs what the state holds, not how many events made it: a dog of 10,000 tricks is one list of 10,000
/// references. These cannot be copied (<see cref="NotSupportedException"/>, naming the type): an object with a
/// finalizer (a handle, a stream, a timer); a task, thread or cancellation source; another collection that finds
/// mutable keys by hash code (a <see cref="Hashtable"/>, a concurrent, immutable, frozen or ordered dictionary or set, a
/// class derived from a dictionary or set); a multi-dimensional or inline array of mutable elements; a delegate to a
/// method that cannot be bound again; a chain of objects too deep for the thread's stack.
/// </remarks>
internal static class StateCopier
{
    private static readonly Func<object, object> ShallowClone = typeof(object)
        .GetMethod(nameof(MemberwiseClone), BindingFlags.Instance | BindingFlags.NonPublic)!
        .CreateDelegate<Func<object, object>>();

    private static readonly ConcurrentDictionary<Type, Func<object, Context, object>?> Copiers = new();
    private static readonly ConcurrentDictionary<Type, bool> NeedsCopyCache = new();

    private static readonly MethodInfo CopyMethod = typeof(Context).GetMethod(nameof(Context.Copy))!;

    private static readonly Type[] ImmutableClasses =
    [
        typeof(string), typeof(Uri), typeof(Version), typeof(CultureInfo), typeof(Encoding), typeof(TimeZoneInfo),
        typeof(Regex), typeof(DBNull),
    ];

    /// <summary>
    /// Collections (and their subclasses) that find their keys by hash code: refused when their keys are mutable, but
    /// for an exact <see cref="Dictionary{TKey,TValue}"/> or <see cref="HashSet{T}"/>, which is rebuilt.
    /// </summary>
    private static readonly Type[] HashedCollections =
    [
        typeof(Dictionary<,>), typeof(HashSet<>), typeof(ConcurrentDictionary<,>), typeof(OrderedDictionary<,>),
        typeof(System.Collections.Immutable.ImmutableDictionary<,>), typeof(System.Collections.Immutable.ImmutableHashSet<>),
        typeof(System.Collections.Frozen.FrozenDictionary<,>), typeof(System.Collections.Frozen.FrozenSet<>),
    ];

    private delegate void Fixup<T>(ref T value, Context context);

    /// <summary>A copy of <paramref name="value"/> sharing no mutable object with it.</summary>
    public static T Copy<T>(T value)
        where T : class
    {
        var context = Context.Rent();
        try
        {
            return (T)context.Copy(value)!;
        }
        finally
        {
            Context.Return(context);
        }
    }

    /// <summary>True when a field or element declared as <paramref name="type"/> may hold something to copy.</summary>
    private static bool NeedsCopy(Type type) => NeedsCopyCache.GetOrAdd(type, static t =>
    {
        if (t.IsPointer || t.IsFunctionPointer || t.IsPrimitive || t.IsEnum)
        {
            return false;
        }

        if (!t.IsValueType)
        {
            return !IsImmutableClass(t);
        }

        return InstanceFields(t).Any(f => NeedsCopy(f.FieldType));
    });

    /// <summary>True for a class whose objects, and its subclasses' objects, never change.</summary>
    private static bool IsImmutableClass(Type type)
        => ImmutableClasses.Any(c => c.IsAssignableFrom(type)) || typeof(MemberInfo).IsAssignableFrom(type);

    /// <summary>True when an object of exactly <paramref name="type"/> can be shared by original and copy.</summary>
    private static bool IsShared(Type type)
    {
        if (type.IsValueType)
        {
            // A box can be changed through an interface, unless its struct is read-only.
            return !NeedsCopy(type) && (type.IsPrimitive || type.IsEnum || type.IsDefined(typeof(IsReadOnlyAttribute), inherit: false));
        }

        return IsImmutableClass(type) || IsStatelessComparer(type);
    }

    /// <summary>A comparer with no state but plain values: shared, as collections compare theirs by identity.</summary>
    private static bool IsStatelessComparer(Type type)
        => !typeof(IEnumerable).IsAssignableFrom(type)
            && !typeof(Aggregate).IsAssignableFrom(type)
            && (typeof(IComparer).IsAssignableFrom(type)
                || typeof(IEqualityComparer).IsAssignableFrom(type)
                || Implements(type, typeof(IComparer<>))
                || Implements(type, typeof(IEqualityComparer<>)))
            && InstanceFields(type).All(f => f.FieldType == typeof(string) || (f.FieldType.IsValueType && !NeedsCopy(f.FieldType)));

    private static bool Implements(Type type, Type genericInterface)
        => (type.IsInterface && type.IsGenericType && type.GetGenericTypeDefinition() == genericInterface)
            || type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == genericInterface);

    private static IEnumerable<FieldInfo> InstanceFields(Type type)
    {
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                yield return field;
            }
        }
    }

    /// <summary>How to copy an object of exactly <paramref name="type"/>; null when it is shared.</summary>
    private static Func<object, Context, object>? CopierFor(Type type)
    {
        if (IsShared(type))
        {
            return null;
        }

        if (type.IsGenericType && NeedsCopy(type.GetGenericArguments()[0]))
        {
            var definition = type.GetGenericTypeDefinition();
            if (definition == typeof(Dictionary<,>))
            {
                return Generic(nameof(RebuildDictionary), type.GetGenericArguments());
            }

            if (definition == typeof(HashSet<>))
            {
                return Generic(nameof(RebuildHashSet), type.GetGenericArguments());
            }
        }

        if (Unsupported(type) is { } reason)
        {
            return (_, _) => throw new NotSupportedException($"A {type.FullName} cannot be copied: {reason}");
        }

        if (type.IsArray)
        {
            return ArrayCopier(type);
        }

        if (typeof(Delegate).IsAssignableFrom(type))
        {
            return CopyDelegate;
        }

        if (type.IsValueType)
        {
            // A boxed value with references: a new box, then its fields.
            return Generic(nameof(CopyBoxed), [type]);
        }

        var fixup = ObjectFixup(type);
        return fixup is null
            ? static (original, context) => context.Remember(original, ShallowClone(original))
            : (original, context) =>
            {
                var copy = context.Remember(original, ShallowClone(original));
                fixup(copy, context);
                return copy;
            };
    }

    private static string? Unsupported(Type type)
    {
        if (typeof(Task).IsAssignableFrom(type) || typeof(CancellationTokenSource).IsAssignableFrom(type))
        {
            return "it stands for work in progress";
        }

        // Reached only by those not rebuilt (see CopierFor).
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t == typeof(Hashtable)
                || (t.IsGenericType && HashedCollections.Contains(t.GetGenericTypeDefinition()) && NeedsCopy(t.GetGenericArguments()[0])))
            {
                return "it finds its keys by hash code, which copied keys need not keep";
            }
        }

        var finalizer = type.GetMethod("Finalize", BindingFlags.Instance | BindingFlags.NonPublic, Type.EmptyTypes);
        if (finalizer is not null && finalizer.DeclaringType != typeof(object))
        {
            return "it has a finalizer, so it holds a resource of the operating system";
        }

        return type.IsArray && type.GetArrayRank() > 1 && NeedsCopy(type.GetElementType()!)
            ? "it is a multi-dimensional array of objects that can change"
            : null;
    }

    private static Func<object, Context, object> Generic(string method, Type[] arguments)
        => typeof(StateCopier).GetMethod(method, BindingFlags.Static | BindingFlags.NonPublic)!
            .MakeGenericMethod(arguments)
            .CreateDelegate<Func<object, Context, object>>();

    private static Func<object, Context, object> ArrayCopier(Type type)
    {
        var element = type.GetElementType()!;
        if (type.GetArrayRank() > 1 || !NeedsCopy(element))
        {
            return static (original, context) => context.Remember(original, ((Array)original).Clone());
        }

        return element.IsValueType ? Generic(nameof(CopyStructArray), [element]) : CopyObjectArray;
    }

    private static object CopyDelegate(object original, Context context)
    {
        var invocations = ((Delegate)original).GetInvocationList();
        var copies = new Delegate[invocations.Length];
        var rebound = false;
        for (var i = 0; i < invocations.Length; i++)
        {
            var invocation = invocations[i];
            var target = invocation.Target is { } t ? context.Copy(t) : null;
            if (ReferenceEquals(target, invocation.Target))
            {
                copies[i] = invocation;
                continue;
            }

            try
            {
                copies[i] = Delegate.CreateDelegate(invocation.GetType(), target, invocation.Method);
                rebound = true;
            }
            catch (ArgumentException ex)
            {
                throw new NotSupportedException($"A {original.GetType().FullName} to {invocation.Method.Name} cannot be bound to a copy of its target", ex);
            }
        }

        return context.Remember(original, rebound ? Delegate.Combine(copies)! : original);
    }

    private static object CopyObjectArray(object original, Context context)
    {
        // Any array of a reference type is an object[] (array covariance); the copy has the original's element type.
        var source = (object?[])original;
        var copy = (object?[])source.Clone();
        context.Remember(original, copy);
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = context.Copy(source[i]);
        }

        return copy;
    }

    private static object CopyStructArray<T>(object original, Context context)
    {
        var copy = (T[])((T[])original).Clone();
        context.Remember(original, copy);
        var fixup = Fixups<T>.Value;
        for (var i = 0; i < copy.Length; i++)
        {
            fixup(ref copy[i], context);
        }

        return copy;
    }

    private static object CopyBoxed<T>(object original, Context context)
        where T : struct
    {
        var copy = context.Remember(original, ShallowClone(original));
        Fixups<T>.Value(ref Unsafe.Unbox<T>(copy), context);
        return copy;
    }

    private static object RebuildDictionary<TKey, TValue>(object original, Context context)
        where TKey : notnull
    {
        var source = (Dictionary<TKey, TValue>)original;
        var copy = new Dictionary<TKey, TValue>(source.Count, source.Comparer);
        context.Remember(original, copy);
        foreach (var (key, value) in source)
        {
            copy.Add(context.CopyTyped(key), context.CopyTyped(value));
        }

        return copy;
    }

    private static object RebuildHashSet<T>(object original, Context context)
    {
        var source = (HashSet<T>)original;
        var copy = new HashSet<T>(source.Count, source.Comparer);
        context.Remember(original, copy);
        foreach (var item in source)
        {
            copy.Add(context.CopyTyped(item));
        }

        return copy;
    }

    /// <summary>Replaces, in a fresh shallow copy of a class, each field that may hold something to copy by its copy.</summary>
    private static Action<object, Context>? ObjectFixup(Type type)
    {
        var fields = InstanceFields(type).Where(f => NeedsCopy(f.FieldType)).ToArray();
        if (fields.Length == 0)
        {
            return null;
        }

        var method = new DynamicMethod($"Copy fields of {type.Name}", null, [typeof(object), typeof(Context)], typeof(StateCopier).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        var target = il.DeclareLocal(type);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Castclass, type);
        il.Emit(OpCodes.Stloc, target);
        foreach (var field in fields)
        {
            EmitFieldCopy(il, field, () => il.Emit(OpCodes.Ldloc, target));
        }

        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<Action<object, Context>>();
    }

    /// <summary>Replaces, in a struct (by reference), each field that may hold something to copy by its copy.</summary>
    private static Fixup<T> StructFixup<T>()
    {
        if (typeof(T).IsDefined(typeof(InlineArrayAttribute), inherit: false))
        {
            // Its one field stands for every element; the elements past the first are not fields.
            return (ref _, _) => throw new NotSupportedException($"A {typeof(T).FullName} cannot be copied: it is an inline array of objects that can change");
        }

        var fields = InstanceFields(typeof(T)).Where(f => NeedsCopy(f.FieldType)).ToArray();
        var method = new DynamicMethod($"Copy fields of {typeof(T).Name}", null, [typeof(T).MakeByRefType(), typeof(Context)], typeof(StateCopier).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        foreach (var field in fields)
        {
            EmitFieldCopy(il, field, () => il.Emit(OpCodes.Ldarg_0));
        }

        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<Fixup<T>>();
    }

    private static void EmitFieldCopy(ILGenerator il, FieldInfo field, Action loadTarget)
    {
        if (field.FieldType.IsValueType)
        {
            // target.field is fixed in place: Fixups<TField>.Apply(ref target.field, context)
            loadTarget();
            il.Emit(OpCodes.Ldflda, field);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Call, typeof(Fixups<>).MakeGenericType(field.FieldType).GetMethod(nameof(Fixups<int>.Apply))!);
            return;
        }

        // target.field = (TField)context.Copy(target.field)
        loadTarget();
        il.Emit(OpCodes.Ldarg_1);
        loadTarget();
        il.Emit(OpCodes.Ldfld, field);
        il.Emit(OpCodes.Call, CopyMethod);
        il.Emit(OpCodes.Castclass, field.FieldType);
        il.Emit(OpCodes.Stfld, field);
    }

    private static class Fixups<T>
    {
        public static readonly Fixup<T> Value = StructFixup<T>();

        public static void Apply(ref T value, Context context) => Value(ref value, context);
    }

    /// <summary>One copy in progress: the copies made so far, by original.</summary>
    internal sealed class Context
    {
        private const int KeptCapacity = 1_024;

        [ThreadStatic]
        private static Context? t_spare;

        private readonly Dictionary<object, object> _copies = new(ReferenceEqualityComparer.Instance);

        public static Context Rent()
        {
            var context = t_spare ?? new Context();
            t_spare = null;
            return context;
        }

        public static void Return(Context context)
        {
            // A copy of a large graph leaves a large table: let it go rather than keep it for the thread's life.
            if (context._copies.Count <= KeptCapacity)
            {
                context._copies.Clear();
                t_spare = context;
            }
        }

        public object? Copy(object? original)
        {
            if (original is null)
            {
                return null;
            }

            if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            {
                throw new NotSupportedException($"A {original.GetType().FullName} cannot be copied: the chain of objects that reaches it is too deep for the stack");
            }

            var copier = Copiers.GetOrAdd(original.GetType(), CopierFor);
            if (copier is null)
            {
                return original;
            }

            return _copies.TryGetValue(original, out var copy) ? copy : copier(original, this);
        }

        public T CopyTyped<T>(T original)
        {
            if (typeof(T).IsValueType)
            {
                if (NeedsCopy(typeof(T)))
                {
                    var copy = original;
                    Fixups<T>.Value(ref copy, this);
                    return copy;
                }

                return original;
            }

            return (T)Copy(original)!;
        }

        /// <summary>Records <paramref name="copy"/> as the copy of <paramref name="original"/> before its fields are copied, so a cycle ends.</summary>
        public object Remember(object original, object copy)
        {
            _copies.Add(original, copy);
            return copy;
        }
    }
}
