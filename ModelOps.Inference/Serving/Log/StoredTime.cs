using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// The exact integer encoding <c>InferenceLogDbContext</c> (like <c>ModelOpsDbContext</c>) gives a <see cref="DateTimeOffset"/>
/// column, so rows written here with raw ADO.NET read back through EF and compare in SQL.
/// </summary>
internal static class StoredTime
{
    // Stateless after construction; the same converter EF applies by convention.
    private static readonly DateTimeOffsetToBinaryConverter Converter = new();

    /// <summary>Normalised to UTC first: the encoding orders by clock time, not by instant.</summary>
    public static long ToStored(DateTimeOffset value) => Converter.ConvertToProviderTyped(value.ToUniversalTime());

    public static DateTimeOffset FromStored(long value) => Converter.ConvertFromProviderTyped(value);

    /// <summary>
    /// SQL for the UTC hour number (ticks / ticks-per-hour) of a stored column: the encoding is
    /// (ticks / 1000) shifted left 11 bits, with the offset (always zero here) in the low bits.
    /// </summary>
    public static string HourOfSql(string column) => $"(({column} >> 11) / {TimeSpan.TicksPerHour / 1000})";
}
