namespace EventSourcing;

/// <summary>Searches of notifications kept in memory in ascending id order.</summary>
internal static class NotificationIds
{
    /// <summary>The index of the first of <paramref name="kept"/>[<paramref name="from"/>..] with an id of <paramref name="id"/> or more (its count if none).</summary>
    public static int FirstFrom(List<Notification> kept, int from, long id)
    {
        int low = from, high = kept.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (kept[middle].Id < id)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
