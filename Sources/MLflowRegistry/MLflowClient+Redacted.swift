/// The client holds the registry's bearer token: it prints as its address only, also through `dump` and
/// `Mirror`, so that a struct holding it can be logged at debug level without the token.
extension MLflowClient: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "MLflowClient(\(shownBase))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["baseURL": shownBase], displayStyle: .struct) }
}
