using System.Collections.Immutable;

namespace EventSourcing.Examples.TrickView;

public sealed partial class DogTricksTable
{
    // The in-memory store keeps the value a failed batch may not have mutated: replace, never change in place.
    private void IncrementInStore(IDictionary<string, object> store, Guid dogId, string trick)
    {
        var rows = store.TryGetValue(StoreKey, out var value) ? (ImmutableDictionary<(Guid, string), int>)value : [];
        store[StoreKey] = rows.SetItem((dogId, trick), rows.GetValueOrDefault((dogId, trick)) + 1);
    }

    private List<DogTrick> SelectFromStore(IDictionary<string, object> store, Guid? dogId, string? trick)
    {
        if (!store.TryGetValue(StoreKey, out var value))
        {
            return [];
        }

        return [.. ((ImmutableDictionary<(Guid DogId, string Trick), int>)value)
            .Where(row => (dogId is null || row.Key.DogId == dogId) && (trick is null || row.Key.Trick == trick))
            .Select(row => new DogTrick(row.Key.DogId, row.Key.Trick, row.Value))];
    }
}
