/// The git adapter: mirror cache, per-repository serialisation, edit -> commit -> push.
public enum GitOpsRepo {}
