/// A synchronous, domain-free wrapper of the libcurl easy API.
public enum CurlHTTP {}
