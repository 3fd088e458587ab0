/// What the call page shows.
struct CallPage {
    struct Fact {
        let label: String
        let value: String
    }

    struct Turn {
        let role: String
        let content: String
        let time: String
    }

    let org: String
    let facts: [Fact]
    let turns: [Turn]
    // Stored, not computed: Mustache reads values through Mirror.
    let hasTurns: Bool

    init(org: String, facts: [Fact], turns: [Turn]) {
        self.org = org
        self.facts = facts
        self.turns = turns
        hasTurns = !turns.isEmpty
    }
}
