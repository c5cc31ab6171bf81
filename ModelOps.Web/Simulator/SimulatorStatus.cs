namespace ModelOps.Web.Simulator;

public sealed record SimulatorStatus(bool Running, double RequestsPerSecond, int SimulatedHour, long Sent, long Failed, long Shown, long Clicks);
