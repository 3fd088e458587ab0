import Foundation
import Testing
@testable import UnpodCore

@Suite struct ParsingTests {
    @Test(arguments: [
        ("90s", 90.0), ("15m", 900.0), ("24h", 86_400.0), ("30d", 2_592_000.0), ("2w", 1_209_600.0), ("3600", 3600.0),
    ])
    func durations(_ text: String, _ seconds: Double) {
        #expect(DurationText.seconds(text) == seconds)
    }

    @Test(arguments: ["", "d", "-5m", "0", "1y", "ten"])
    func badDurations(_ text: String) {
        #expect(DurationText.seconds(text) == nil)
    }

    @Test func theThreeDocumentedTimestampFormsAndADateAreRead() throws {
        let zulu = try #require(Timestamp.parse("2026-02-07T05:57:45Z"))
        let naive = try #require(Timestamp.parse("2026-02-07T05:57:45"))
        let spaced = try #require(Timestamp.parse("2026-01-31 11:47:38.067021"))
        let fractional = try #require(Timestamp.parse("2025-11-01T00:00:00.000Z"))
        let day = try #require(Timestamp.parse("2026-02-01"))
        #expect(zulu.date == naive.date)
        #expect(!zulu.isDateOnly && day.isDateOnly)
        #expect(Timestamp.format(zulu.date) == "2026-02-07T05:57:45Z")
        #expect(Timestamp.format(day.date) == "2026-02-01T00:00:00Z")
        #expect(Timestamp.format(fractional.date) == "2025-11-01T00:00:00Z")
        #expect(Timestamp.format(spaced.date) == "2026-01-31T11:47:38Z")
    }

    @Test(arguments: ["yesterday", "2026-13-01", "2026-02-30", "2026/02/01", "12:00"])
    func badTimestamps(_ text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func scopeListsParseInAnyOrderAndPrintInOne() {
        #expect(ScopeSet(commaSeparated: "admin, read") == [.read, .admin])
        #expect(ScopeSet(commaSeparated: "admin,read")?.commaSeparated == "read,admin")
        #expect(ScopeSet(commaSeparated: "read,owner") == nil)
        #expect(ScopeSet(commaSeparated: "") == nil)
    }

    @Test func theErrorEnvelopeUsesSnakeCaseAndTheExactMessages() throws {
        let data = try JSONEncoder.unpod().encode(APIError.tokenExpired)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["status_code"] as? Int == 403)
        #expect(object["message"] as? String == "Token has expired.")
        #expect(object["code"] as? String == "token_expired")
        #expect(object["errors"] == nil)
    }
}

@Suite struct TimestampFormatTests {
    @Test func theFastFormatterAgreesWithFoundationAcrossCenturies() {
        let reference = ISO8601DateFormatter()
        reference.formatOptions = [.withInternetDateTime]
        var generator = SystemRandomNumberGenerator()
        var dates = [0, -1, 951_782_400, 951_868_799, 4_102_444_800, -2_208_988_800, 1_800_000_000.5]
            .map { Date(timeIntervalSince1970: $0) }
        dates += (0..<2000).map { _ in
            Date(timeIntervalSince1970: Double(Int64.random(in: -5_000_000_000...10_000_000_000, using: &generator)))
        }
        for date in dates {
            #expect(Timestamp.format(date) == reference.string(from: date), "\(date.timeIntervalSince1970)")
        }
    }
}

@Suite struct MoneyTests {
    @Test func pricesParseWithoutFloatingPointAndAmountsPrintWithCents() {
        #expect(Money.micros("0.020") == 20_000 && Money.micros("12") == 12_000_000 && Money.micros("1.5") == 1_500_000)
        #expect(Money.micros("0.0000001") == nil && Money.micros("-1") == nil && Money.micros("1e3") == nil && Money.micros("") == nil)
        #expect(Money.micros("0.1.2") == nil && Money.micros(" 3.25 ") == 3_250_000)
        #expect(Money.format(cents: 135_735) == "1357.35" && Money.format(cents: 5) == "0.05" && Money.format(cents: 0) == "0.00")
        #expect(Money.roundedDivision(15, 10) == 2 && Money.roundedDivision(14, 10) == 1)
    }

    @Test func outcomesAreReadFromEitherDocumentedShape() {
        #expect(CallOutcome.bucket(.object(["post_call_data": .object(["outcome": .string("Interested")])])) == "interested")
        #expect(
            CallOutcome.bucket(.object(["post_call_data": .object(["classification": .object(["labels": .array([.string("call-back")])])])]))
                == "call_back")
        #expect(CallOutcome.bucket(.object(["call_status": .string("missed")])) == "not_connected")
        #expect(CallOutcome.bucket(.object(["duration": .integer(40), "post_call_data": .object(["outcome": .string("maybe")])])) == nil)
        #expect(CallOutcome.duration(.object(["start_time": .string("2026-11-30T10:00:00Z"), "end_time": .string("2026-11-30T10:01:01Z")])) == 61)
    }
}
