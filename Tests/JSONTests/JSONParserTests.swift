import Foundation
import Testing
import JSON

@Suite struct JSONParserTests {
    @Test(arguments: [
        ("{\"a\":1,\"a\":2}", "duplicate member"), ("[1,]", "unexpected character"), ("{\"a\":01}", "leading zeros"),
        ("\"\\ud800\"", "lone surrogate"), ("{} x", "after the JSON value"), ("\"\u{1}\"", "control character"),
        (String(repeating: "[", count: 100), "nesting"), ("", "empty"), ("\u{FEFF}{}", "byte order mark"),
        ("\"\\u+041\"", "invalid \\u escape"), ("tru", "invalid literal"), ("1e", "exponent"),
    ])
    func refuses(_ text: String, _ reason: String) {
        do {
            _ = try JSONParser.parse(Array(text.utf8))
            Issue.record("accepted \(text.debugDescription)")
        } catch {
            #expect(error.message.contains(reason), "\(error)")
        }
    }

    @Test func parsesUnicodeNumbersAndNesting() throws {
        let value = try JSONParser.parse(Array(#"{"v": 1.10, "s": "\u00e9\ud83d\ude00 ok", "a": [true, null, -0.5e1], "o": {}}"#.utf8))
        #expect(value["v"] == .number(1.1))
        #expect(value["s"]?.string == "é😀 ok")
        #expect(value["a"] == [true, nil, .number(-5)])
        #expect(value["o"] == .object([:]))
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test func writerRoundTripsAndSortsKeys() throws {
        let value: JSONValue = ["b": [1, "two\n\"", nil], "a": ["x": true, "y": .number(0.25)], "c": "\u{1}é"]
        let text = String(decoding: JSONWriter.write(value), as: UTF8.self)
        #expect(text == #"{"a":{"x":true,"y":0.25},"b":[1,"two\n\"",null],"c":"\u0001é"}"#)
        #expect(try JSONParser.parse(Array(text.utf8)) == value)
        #expect(JSONValue.parse(Data("nope".utf8)) == nil)
    }
}
