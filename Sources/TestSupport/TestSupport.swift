/// Test infrastructure shared by the test targets: loopback servers and fixture builders.
public enum TestSupport {}
