/// The pure core of Promote: events, configuration, manifest knowledge, plans, policy and ports. No IO.
public enum Promotion {}
