using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ModelOps.Core.Persistence.Postgres;

/// <summary>Stores a <see cref="DateTimeOffset"/> as the same instant at offset 0 (what Npgsql accepts for timestamptz).</summary>
public sealed class UtcDateTimeOffsetConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
    value => value.ToUniversalTime(),
    value => value.ToUniversalTime());
