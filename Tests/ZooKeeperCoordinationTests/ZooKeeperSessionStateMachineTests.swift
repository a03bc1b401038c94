import Coordination
import Testing

@testable import ZooKeeperCoordination

@Suite struct ZooKeeperSessionStateMachineTests {
    let first = SessionID(0x100)
    let second = SessionID(0x200)

    @Test func firstConnectionStartsASession() {
        var machine = ZooKeeperSessionStateMachine()
        #expect(machine.sessionState == .connecting)
        #expect(!machine.acceptsOperations)
        #expect(machine.connected(first) == .publish(.sessionStarted(first)))
        #expect(machine.sessionState == .connected(first))
        #expect(machine.acceptsOperations)
        #expect(machine.connected(first) == .none)
    }

    @Test func disconnectionSuspendsAndReconnectionResumesTheSameSession() {
        var machine = ZooKeeperSessionStateMachine()
        _ = machine.connected(first)
        #expect(machine.disconnected() == .publish(.disconnected(first)))
        #expect(machine.disconnected() == .none)
        #expect(machine.sessionState == .disconnected(first))
        #expect(!machine.acceptsOperations)
        #expect(machine.connected(first) == .publish(.reconnected(first)))
    }

    @Test func expiryRenewsTheSessionAndTheNextConnectionStartsANewOne() {
        var machine = ZooKeeperSessionStateMachine()
        _ = machine.connected(first)
        _ = machine.disconnected()
        #expect(machine.expired() == .renewSession(publishing: .sessionExpired(first)))
        #expect(machine.sessionState == .connecting)
        #expect(machine.expired() == .none)
        #expect(machine.connected(second) == .none)  // a late event of the old handle
        machine.handleReplaced()
        #expect(machine.state == .connecting(previous: first))
        #expect(machine.connected(second) == .publish(.sessionStarted(second)))
    }

    @Test func expiryBeforeAnySessionRenewsSilently() {
        var machine = ZooKeeperSessionStateMachine()
        #expect(machine.expired() == .renewSession(publishing: nil))
    }

    @Test func closingIsFinal() {
        var machine = ZooKeeperSessionStateMachine()
        _ = machine.connected(first)
        #expect(machine.close() == .publish(.closed))
        #expect(machine.close() == .none)
        #expect(machine.connected(second) == .none)
        #expect(machine.disconnected() == .none)
        #expect(machine.expired() == .none)
        #expect(machine.sessionState == .closed)
        #expect(machine.isClosed)
    }
}
