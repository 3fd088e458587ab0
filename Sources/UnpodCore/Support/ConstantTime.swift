/// Comparing secrets (a metrics bearer token, a CSRF token, a call token's digest) without telling how many leading bytes
/// matched: every byte is looked at whatever the first difference.
public enum ConstantTime {
    public static func equal(_ a: some StringProtocol, _ b: some StringProtocol) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
