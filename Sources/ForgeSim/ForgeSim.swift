/// A stand-in forge for tests and demos. It is not a real forge.
public enum ForgeSim {}
