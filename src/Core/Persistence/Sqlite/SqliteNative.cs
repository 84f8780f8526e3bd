using System.Runtime.InteropServices;
using SQLitePCL;

namespace EventSourcing.Sqlite;

/// <summary>
/// The few functions of SQLite's C API that reading rows needs, called with plain pointers (cdecl, as SQLite exports them). Through
/// Microsoft.Data.Sqlite each column of each row costs several calls that take and release the statement's
/// <see cref="SafeHandle"/>, and a check of the column's type: in a profile of reading the log, more than half of the
/// time. Called directly, a page of notifications reads about twice as fast.
/// <para>
/// Only the library Microsoft.Data.Sqlite itself uses is called: its provider must be the bundled <c>e_sqlite3</c>,
/// loaded as the provider loads it, and of the same version. Otherwise <see cref="Api"/> is null and reads go through
/// Microsoft.Data.Sqlite as before.
/// </para>
/// </summary>
internal static unsafe class SqliteNative
{
    private static readonly Lazy<Functions?> Loaded = new(Load);

    /// <summary>The functions, or null when the library cannot be called directly here (the reason: <see cref="Unavailable"/>).</summary>
    public static Functions? Api => Loaded.Value;

    /// <summary>Why <see cref="Api"/> is null; null when it is not.</summary>
    public static string? Unavailable { get; private set; }

    private static Functions? Load()
    {
        // The provider is chosen when the first connection opens; this runs after that.
        var name = raw.GetNativeLibraryName();
        if (name != "e_sqlite3")
        {
            Unavailable = $"the SQLite provider is '{name}', not the bundled e_sqlite3";
            return null;
        }

        try
        {
            // As the provider's own [DllImport("e_sqlite3")] resolves it: the same, already loaded, library.
            var library = NativeLibrary.Load(name, typeof(SQLite3Provider_e_sqlite3).Assembly, null);
            var version = (delegate* unmanaged[Cdecl]<int>)NativeLibrary.GetExport(library, "sqlite3_libversion_number");
            if (version() != raw.sqlite3_libversion_number())
            {
                Unavailable = $"the e_sqlite3 found ({version()}) is not the one in use ({raw.sqlite3_libversion_number()})";
                return null;
            }

            return new Functions(
                (delegate* unmanaged[Cdecl]<IntPtr, int>)NativeLibrary.GetExport(library, "sqlite3_step"),
                (delegate* unmanaged[Cdecl]<IntPtr, int, int>)NativeLibrary.GetExport(library, "sqlite3_column_type"),
                (delegate* unmanaged[Cdecl]<IntPtr, int, long>)NativeLibrary.GetExport(library, "sqlite3_column_int64"),
                (delegate* unmanaged[Cdecl]<IntPtr, int, byte*>)NativeLibrary.GetExport(library, "sqlite3_column_text"),
                (delegate* unmanaged[Cdecl]<IntPtr, int, byte*>)NativeLibrary.GetExport(library, "sqlite3_column_blob"),
                (delegate* unmanaged[Cdecl]<IntPtr, int, int>)NativeLibrary.GetExport(library, "sqlite3_column_bytes"));
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            Unavailable = ex.Message;
            return null;
        }
    }

    /// <summary>
    /// A statement's rows, column by column. Text comes as UTF-8 and a value's bytes are SQLite's until the next step:
    /// copy what is kept. As SQLite asks, a column's text or blob is taken before its length.
    /// </summary>
    public sealed class Functions(
        delegate* unmanaged[Cdecl]<IntPtr, int> step,
        delegate* unmanaged[Cdecl]<IntPtr, int, int> columnType,
        delegate* unmanaged[Cdecl]<IntPtr, int, long> columnInt64,
        delegate* unmanaged[Cdecl]<IntPtr, int, byte*> columnText,
        delegate* unmanaged[Cdecl]<IntPtr, int, byte*> columnBlob,
        delegate* unmanaged[Cdecl]<IntPtr, int, int> columnBytes)
    {
        public int Step(IntPtr statement) => step(statement);

        public int Type(IntPtr statement, int column) => columnType(statement, column);

        public bool IsNull(IntPtr statement, int column) => columnType(statement, column) == raw.SQLITE_NULL;

        public long Int64(IntPtr statement, int column) => columnInt64(statement, column);

        public ReadOnlySpan<byte> Text(IntPtr statement, int column)
        {
            var text = columnText(statement, column);
            return new ReadOnlySpan<byte>(text, columnBytes(statement, column));
        }

        public byte[] Blob(IntPtr statement, int column)
        {
            var blob = columnBlob(statement, column);
            var length = columnBytes(statement, column);
            return length == 0 ? [] : new ReadOnlySpan<byte>(blob, length).ToArray();
        }
    }
}
