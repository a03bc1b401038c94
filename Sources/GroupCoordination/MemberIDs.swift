import Foundation

/// A new member id as Kafka makes it: `<group.instance.id or client.id>-<random UUID>`.
func makeMemberID(clientID: String, groupInstanceID: String?) -> String {
    "\(groupInstanceID ?? clientID)-\(UUID().uuidString.lowercased())"
}
