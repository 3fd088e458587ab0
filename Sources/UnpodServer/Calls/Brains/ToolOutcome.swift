/// What running one tool call did: the text given back to the model, and what the call must do.
struct ToolOutcome: Sendable, Equatable {
    enum Effect: Sendable, Equatable {
        case none
        /// `end_call`: the call ends once this turn's reply has been said.
        case endCall
        /// `transfer`: the caller side is told to hand the call on.
        case transfer(type: String, target: String)
    }

    var result: String
    var effect: Effect = .none
}
