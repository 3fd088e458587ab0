/// The limits of a block's definition, in one place for creation and update.
public enum AnalyticsSpecRules {
    /// Keys every block's answer has besides its own fields.
    public static let reservedNames: Set<String> = ["summary", "success_evaluation"]
    public static let maximumFields = 50

    public static func isFieldName(_ name: String) -> Bool {
        guard (1...64).contains(name.utf8.count), let first = name.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII else {
            return false
        }
        return name.unicodeScalars.allSatisfy { ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
