namespace ModelOps.Core.Registry;

/// <param name="Created">False when the same bytes were already registered under the model.</param>
public sealed record RegistrationOutcome(ModelVersionView Version, bool Created);
