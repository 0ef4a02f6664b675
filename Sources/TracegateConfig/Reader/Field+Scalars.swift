// Field+Scalars.swift — typed readers for YAML scalars: strings, integers, booleans, numbers.

import Yams

extension Field {
    /// The scalar's text, if this is a non-null scalar.
    private var scalarText: String? {
        guard case .scalar(let scalar) = node, tagName != .null else { return nil }
        return scalar.string
    }

    /// Any non-null scalar as text (`header: 123` reads as `"123"`); reports `expected a string`.
    func string(_ diagnostics: inout Diagnostics) -> String? {
        guard let text = scalarText else {
            report("expected a string", &diagnostics)
            return nil
        }
        return text
    }

    /// A string that must not be empty; reports `must not be empty`.
    func nonEmptyString(_ diagnostics: inout Diagnostics) -> String? {
        guard let text = string(&diagnostics) else { return nil }
        guard !text.isEmpty else {
            report("must not be empty", &diagnostics)
            return nil
        }
        return text
    }

    /// Null means "none"; otherwise a non-empty string. The outer optional is nil on error.
    func optionalString(_ diagnostics: inout Diagnostics) -> String?? {
        if isNull { return .some(nil) }
        guard let text = nonEmptyString(&diagnostics) else { return nil }
        return .some(text)
    }

    /// A plain YAML integer (quoted strings such as `"4"` are not integers); reports
    /// `expected an integer`.
    func int(_ diagnostics: inout Diagnostics) -> Int? {
        guard case .scalar(let scalar) = node, tagName == .int, let value = Int.construct(from: scalar) else {
            report("expected an integer", &diagnostics)
            return nil
        }
        return value
    }

    /// An integer within `range`; reports `must be between a and b (got x)`.
    func int(in range: ClosedRange<Int>, _ diagnostics: inout Diagnostics) -> Int? {
        guard let value = int(&diagnostics) else { return nil }
        return check(value, in: range, format: { String($0) }, &diagnostics)
    }

    /// `true`/`false` (YAML 1.1 also spells them `yes`/`no`, `on`/`off`); reports
    /// `expected true or false`.
    func bool(_ diagnostics: inout Diagnostics) -> Bool? {
        guard case .scalar(let scalar) = node, tagName == .bool, let value = Bool.construct(from: scalar) else {
            report("expected true or false", &diagnostics)
            return nil
        }
        return value
    }

    /// An integer or decimal number within `range`; reports `expected a number`.
    func number(in range: ClosedRange<Double>, _ diagnostics: inout Diagnostics) -> Double? {
        guard case .scalar(let scalar) = node, tagName == .int || tagName == .float,
            let value = Double.construct(from: scalar), value.isFinite
        else {
            report("expected a number", &diagnostics)
            return nil
        }
        return check(value, in: range, format: { String($0) }, &diagnostics)
    }

    /// One of an enum's raw values; reports the accepted values and a "did you mean" hint.
    func oneOf<E: RawRepresentable & CaseIterable>(_ type: E.Type, _ diagnostics: inout Diagnostics) -> E?
    where E.RawValue == String {
        let names = E.allCases.map(\.rawValue)
        guard let text = scalarText else {
            report("expected one of \(names.joined(separator: ", "))", &diagnostics)
            return nil
        }
        if let value = E(rawValue: text) { return value }
        let hint = Suggestion.hint(for: text, among: names)
        report("expected one of \(names.joined(separator: ", ")); got \"\(text)\"\(hint)", &diagnostics)
        return nil
    }

    /// A duration (`"250ms"`, `"1.5s"`, `"30m"`, `"1h"`, or an integer number of seconds) of at
    /// most `max`; zero is reported as `must be greater than 0` unless `allowZero`.
    func duration(max: Duration, allowZero: Bool = false, _ diagnostics: inout Diagnostics) -> Duration? {
        guard
            let value = parse(
                DurationText.expected,
                &diagnostics,
                intValue: DurationText.seconds,
                text: DurationText.parse
            )
        else { return nil }
        if !allowZero && value == .zero {
            report("must be greater than 0", &diagnostics)
            return nil
        }
        guard value <= max else {
            report("must be at most \(DurationText.format(max)) (got \(DurationText.format(value)))", &diagnostics)
            return nil
        }
        return value
    }

    /// A byte size (`65536`, `"64KiB"`, `"1GiB"`) within `range`.
    func size(in range: ClosedRange<Int>, _ diagnostics: inout Diagnostics) -> Int? {
        let bytes = parse(
            SizeText.expected,
            &diagnostics,
            intValue: { (value: Int) throws(ValueSyntaxError) in
                guard value >= 0 else { throw ValueSyntaxError("must not be negative") }
                return value
            },
            text: SizeText.parse
        )
        guard let bytes else { return nil }
        return check(bytes, in: range, format: SizeText.format, &diagnostics)
    }

    // MARK: - Private

    /// Reads an int-tagged scalar with `intValue` and any other scalar with `text`.
    private func parse<T>(
        _ expected: String,
        _ diagnostics: inout Diagnostics,
        intValue: (Int) throws(ValueSyntaxError) -> T,
        text: (String) throws(ValueSyntaxError) -> T
    ) -> T? {
        guard case .scalar(let scalar) = node, tagName != .null else {
            report(expected, &diagnostics)
            return nil
        }
        do {
            if tagName == .int, let value = Int.construct(from: scalar) {
                return try intValue(value)
            }
            return try text(scalar.string)
        } catch {
            report(error.reason, &diagnostics)
            return nil
        }
    }

    private func check<T: Comparable>(
        _ value: T,
        in range: ClosedRange<T>,
        format: (T) -> String,
        _ diagnostics: inout Diagnostics
    ) -> T? {
        guard range.contains(value) else {
            report(
                "must be between \(format(range.lowerBound)) and \(format(range.upperBound)) (got \(format(value)))",
                &diagnostics
            )
            return nil
        }
        return value
    }

    /// Runs a text validator on a string scalar and reports its reason on failure.
    func validated<T>(
        _ diagnostics: inout Diagnostics,
        _ validate: (String) throws(ValueSyntaxError) -> T
    ) -> T? {
        guard let text = string(&diagnostics) else { return nil }
        do {
            return try validate(text)
        } catch {
            report(error.reason, &diagnostics)
            return nil
        }
    }
}
