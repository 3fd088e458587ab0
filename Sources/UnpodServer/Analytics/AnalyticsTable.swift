import Foundation
import UnpodCore

/// One block's results as a table (`format=flat`): fixed columns, then one per field of the
/// block's current spec, so a field every row left out still has its column and types come from
/// the spec, never from values. A row evaluated under an older version has null where that
/// version had no such field.
struct AnalyticsTable {
    struct Column {
        let name: String
        let type: String
    }

    let columns: [Column]
    let rows: [[JSONValue]]

    static let fixedColumns = [
        Column(name: "result_id", type: "str"), Column(name: "session_id", type: "str"), Column(name: "agent_id", type: "str"),
        Column(name: "status", type: "str"), Column(name: "block_version", type: "int"), Column(name: "created", type: "datetime"),
        Column(name: "summary", type: "str"), Column(name: "success_evaluation", type: "bool"),
    ]

    init(block: AnalyticsBlockDefinition, results: [AnalyticsResult]) {
        var columns = Self.fixedColumns
        columns[columns.count - 1] = Column(name: "success_evaluation", type: block.successType)
        columns += block.fields.map { Column(name: $0.name, type: $0.type.rawValue) }
        self.columns = columns
        rows = results.map { result in
            [
                .string(result.resultID), .string(result.callID), .string(result.agentHandle), .string(result.status.rawValue),
                .integer(Int64(result.blockVersion)), .string(Timestamp.format(result.created)), .string(result.summary),
                result.successEvaluation ?? .null,
            ] + block.fields.map { result.data[$0.name] ?? .null }
        }
    }
}
