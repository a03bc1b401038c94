/// Armed watches of the in-memory server, indexed like ZooKeeper's `WatchManager`: data watches
/// (from `getData` and `exists`) and child watches, per path. Plain value; one-shot: firing removes.
struct InMemoryWatchTable: Sendable {
    struct Registration: Sendable {
        let client: Int
        let session: SessionID
        let path: String
        let trigger: WatchTrigger

        /// The event of a watch that can no longer fire.
        var lost: WatchEvent { WatchEvent(type: .watchLost, path: path) }
    }

    enum Kind: Sendable {
        case data
        case children
    }

    private var data: [String: [Registration]] = [:]
    private var children: [String: [Registration]] = [:]

    mutating func add(_ registration: Registration, kind: Kind, path: String) {
        switch kind {
        case .data: data[path, default: []].append(registration)
        case .children: children[path, default: []].append(registration)
        }
    }

    /// Removes and returns the watches a tree change fires, with their events, in a stable order.
    mutating func fire(for change: InMemoryZNodeTree.Change) -> [(Registration, WatchEvent)] {
        var fired: [(Registration, WatchEvent)] = []
        func take(_ kind: Kind, _ path: String, _ type: WatchEventType) {
            let taken: [Registration]?
            switch kind {
            case .data: taken = data.removeValue(forKey: path)
            case .children: taken = children.removeValue(forKey: path)
            }
            for registration in taken ?? [] {
                fired.append((registration, WatchEvent(type: type, path: path)))
            }
        }
        switch change {
        case .created(let path):
            take(.data, path, .nodeCreated)
            if let parent = CoordinationPath.parent(of: path) { take(.children, parent, .nodeChildrenChanged) }
        case .deleted(let path):
            take(.data, path, .nodeDeleted)
            take(.children, path, .nodeDeleted)
            if let parent = CoordinationPath.parent(of: path) { take(.children, parent, .nodeChildrenChanged) }
        case .dataChanged(let path):
            take(.data, path, .nodeDataChanged)
        }
        return fired
    }

    /// Removes and returns every watch armed by `session`.
    mutating func removeAll(of session: SessionID) -> [Registration] {
        var removed: [Registration] = []
        func strip(_ table: inout [String: [Registration]]) {
            for path in table.keys.sorted() {
                let (mine, others) = (table[path] ?? []).partitioned { $0.session == session }
                removed += mine
                table[path] = others.isEmpty ? nil : others
            }
        }
        strip(&data)
        strip(&children)
        return removed
    }
}

extension Array {
    fileprivate func partitioned(_ belongs: (Element) -> Bool) -> (matching: [Element], rest: [Element]) {
        var matching: [Element] = []
        var rest: [Element] = []
        for element in self {
            if belongs(element) { matching.append(element) } else { rest.append(element) }
        }
        return (matching, rest)
    }
}
