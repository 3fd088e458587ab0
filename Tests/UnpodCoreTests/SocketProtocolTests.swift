import Foundation
import Testing
import UnpodCore

/// The worker and room protocols' messages as frames on the wire: the exact text a peer of an
/// earlier release reads and writes, and what a frame this version does not know becomes.
@Suite struct SocketProtocolTests {
    @Test func workerFramesKeepTheirWireSpelling() throws {
        #expect(
            WorkerProtocol.encode(WorkerClientMessage.register(agents: ["sales-bot"], capacity: 2))
                == #"{"agents":["sales-bot"],"capacity":2,"type":"register","v":1}"#)
        #expect(
            WorkerProtocol.encode(WorkerClientMessage.complete(leaseID: "L1", output: .object(["outcome": .string("ok")])))
                == #"{"lease_id":"L1","output":{"outcome":"ok"},"type":"complete","v":1}"#)
        #expect(
            WorkerProtocol.encode(WorkerServerMessage.failed(leaseID: "L1", retry: true))
                == #"{"lease_id":"L1","retry":true,"type":"failed","v":1}"#)
        #expect(WorkerProtocol.encode(WorkerServerMessage.completed(leaseID: "L1")) == #"{"lease_id":"L1","type":"completed","v":1}"#)
        #expect(
            WorkerProtocol.encode(WorkerServerMessage.refused(leaseID: nil, reason: "not a lease of this worker"))
                == #"{"reason":"not a lease of this worker","type":"refused","v":1}"#)
    }

    @Test func workerFramesReadBackAndUnknownTypesAreNamed() throws {
        let messages: [WorkerClientMessage] = [
            .register(agents: ["a"], capacity: 3, version: 1, gateway: nil), .register(agents: [], capacity: 2, version: 1, gateway: true),
            .heartbeat(leaseID: "L"), .progress(leaseID: "L", status: "running"), .complete(leaseID: "L", output: .object([:])),
            .fail(leaseID: "L", reason: "busy"), .callStatus(callID: "call_1", status: "ringing", reason: nil),
            .callStatus(callID: "call_1", status: "notConnected", reason: "USER_DID_NOT_PICK_UP"),
            .inboundCall(toNumber: "+14155550101", fromNumber: "+14155559999"),
        ]
        for message in messages {
            #expect(WorkerProtocol.clientMessage(WorkerProtocol.encode(message)) == message)
        }
        #expect(WorkerProtocol.clientMessage(#"{"type":"dance","lease_id":"L"}"#) == .unknown(type: "dance", leaseID: "L"))
        #expect(WorkerProtocol.clientMessage(#"{"lease_id":"L"}"#) == nil)
        #expect(WorkerProtocol.clientMessage("not json") == nil)
        #expect(WorkerProtocol.serverMessage(#"{"type":"assignment","lease_id":"L","v":1}"#)
            == .error(leaseID: "L", reason: "an assignment without a task"))
        #expect(WorkerProtocol.serverMessage(#"{"type":"newer","v":1}"#) == .unknown(type: "newer"))
    }

    @Test func roomFramesKeepTheirWireSpelling() throws {
        let alice = RoomParticipant(sid: "S1", identity: "alice")
        #expect(
            RoomProtocol.encode(RoomServerMessage.joined(room: "r", sid: "S2", identity: "bob", participants: [alice], reconnected: false))
                == #"{"identity":"bob","participants":[{"identity":"alice","sid":"S1"}],"reconnected":false,"room":"r","sid":"S2","type":"joined","v":1}"#)
        #expect(
            RoomProtocol.encode(RoomServerMessage.data(from: "alice", payload: "{\"x\":\"a/b\"}", topic: nil))
                == #"{"from":"alice","payload":"{\"x\":\"a/b\"}","type":"data","v":1}"#)
        #expect(RoomProtocol.encode(RoomClientMessage.leave) == #"{"type":"leave","v":1}"#)
        #expect(
            RoomProtocol.encode(RoomClientMessage.data(payload: "hi", to: ["bob"], topic: "chat"))
                == #"{"payload":"hi","to":["bob"],"topic":"chat","type":"data","v":1}"#)
    }

    @Test func roomFramesReadBackWithTheirVersion() throws {
        let messages: [RoomClientMessage] = [
            .data(payload: "p", to: nil, topic: nil), .metadata("m"), .remove(identity: "bob"), .leave,
        ]
        for message in messages {
            let read = try #require(RoomProtocol.clientMessage(RoomProtocol.encode(message)))
            #expect(read.message == message)
            #expect(read.version == RoomProtocol.version)
        }
        #expect(RoomProtocol.clientMessage(#"{"type":"dance","v":2}"#)?.message == .unknown(type: "dance"))
        #expect(RoomProtocol.clientMessage(#"{"type":"dance","v":2}"#)?.version == 2)
        #expect(RoomProtocol.serverMessage(#"{"type":"token","token":"t","v":1}"#) == .token("t"))
        #expect(RoomProtocol.serverMessage(#"{"type":"error","code":"4006","message":"m","v":1}"#) == .error(code: "4006", message: "m"))
    }
}
