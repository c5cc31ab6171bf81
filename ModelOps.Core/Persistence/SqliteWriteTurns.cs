using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ModelOps.Core.Persistence;

/// <summary>
/// Holds a non-urgent writer of the main SQLite database back while a rollback is deciding and
/// moving traffic (<see cref="WritePriority"/>): before a transaction begins (Microsoft.Data.Sqlite
/// begins <c>IMMEDIATE</c>, taking the write lock) and before a write statement outside any
/// transaction. Statements inside a transaction and reads are never held.
/// </summary>
public sealed class SqliteWriteTurns(WritePriority priority)
{
    /// <summary>One set per process: EF Core keys its internal service provider on the interceptor instances.</summary>
    public IInterceptor[] Interceptors { get; } = [new Begins(priority), new Statements(priority)];

    /// <summary>Whether a statement outside a transaction takes the write lock.</summary>
    private static bool Writes(DbCommand command)
    {
        var text = command.CommandText.AsSpan().TrimStart();
        return text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("REPLACE", StringComparison.OrdinalIgnoreCase);
    }

    private sealed class Begins(WritePriority priority) : DbTransactionInterceptor
    {
        public override InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
        {
            priority.WaitTurn();
            return result;
        }

        public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
            DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            await priority.WaitTurnAsync(cancellationToken);
            return result;
        }
    }

    private sealed class Statements(WritePriority priority) : DbCommandInterceptor
    {
        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Wait(command);
            return result;
        }

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            Wait(command);
            return result;
        }

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            Wait(command);
            return result;
        }

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            await WaitAsync(command, cancellationToken);
            return result;
        }

        public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            await WaitAsync(command, cancellationToken);
            return result;
        }

        public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            await WaitAsync(command, cancellationToken);
            return result;
        }

        private void Wait(DbCommand command)
        {
            if (command.Transaction is null && Writes(command))
            {
                priority.WaitTurn();
            }
        }

        private Task WaitAsync(DbCommand command, CancellationToken cancellationToken) =>
            command.Transaction is null && Writes(command) ? priority.WaitTurnAsync(cancellationToken) : Task.CompletedTask;
    }
}
