using System.Diagnostics.CodeAnalysis;

namespace ModelOps.Core.Common;

/// <summary>
/// A value or an expected failure. Invariant: exactly one of <see cref="Value"/> and
/// <see cref="Error"/> is set; <see cref="IsSuccess"/> tells which.
/// </summary>
public readonly struct Result<T>
{
    private Result(T? value, Error? error, bool isSuccess)
    {
        Value = value;
        Error = error;
        IsSuccess = isSuccess;
    }

    public T? Value { get; }

    public Error? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess { get; }

    public static Result<T> Success(T value) => new(value, null, true);

    public static Result<T> Failure(Error error) => new(default, error ?? throw new ArgumentNullException(nameof(error)), false);

    public static implicit operator Result<T>(T value) => Success(value);

    public static implicit operator Result<T>(Error error) => Failure(error);

    public Result<TOut> Map<TOut>(Func<T, TOut> map) => IsSuccess ? map(Value) : Error;
}
