import HTTPTypes

extension HTTPFields {
    /// What `self[name]` gives (several fields of the name joined with ", "), without that
    /// subscript's string joining in the usual case of a single field: the auth check reads
    /// several headers on every request, and the join was a visible part of its cost.
    func value(_ name: HTTPField.Name) -> String? {
        guard let first = firstIndex(where: { $0.name == name }) else { return nil }
        guard self[index(after: first)...].contains(where: { $0.name == name }) else { return self[first].value }
        return self[name]
    }
}
