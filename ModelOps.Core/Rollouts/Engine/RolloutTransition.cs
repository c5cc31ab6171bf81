namespace ModelOps.Core.Rollouts.Engine;

/// <summary>
/// The decided outcome of a command: the new state, or the same one when the command is already
/// done (<see cref="Changed"/> false: nothing is written, and the caller is told so).
/// </summary>
public sealed record RolloutTransition(string From, string To, bool Changed, string Detail);
