/// A user's role in one organization (decisions.md section 2).
public enum Role: String, Codable, Sendable, CaseIterable, Comparable {
    case member, admin, owner

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
