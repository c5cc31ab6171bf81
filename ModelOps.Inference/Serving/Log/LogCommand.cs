using System.Data.Common;

namespace ModelOps.Inference.Serving.Log;

/// <summary>Parameters on a provider-neutral command; the SQL names them <c>@Name</c>, which SQLite and Npgsql both bind.</summary>
internal static class LogCommand
{
    public static DbCommand Create(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    public static DbCommand With(this DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return command;
    }
}
