namespace ModelOps.Core.Demo;

/// <summary>An impression and whether it was clicked.</summary>
public sealed record LabeledImpression(ClickImpression Impression, bool Clicked);
