namespace ModelOps.Tests.Incidents;

/// <summary>The tests that read the one shared rolled-back incident (<see cref="RolledBackIncidentFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class RolledBackIncidentCollection : ICollectionFixture<RolledBackIncidentFixture>
{
    public const string Name = "rolled-back incident";
}
