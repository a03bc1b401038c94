import CZooKeeper
import Coordination

/// ZooKeeper C client result codes (`enum ZOO_ERRORS`) as plain integers.
enum ZooKeeperResultCode {
    static let ok = ZOK.rawValue
    static let runtimeInconsistency = ZRUNTIMEINCONSISTENCY.rawValue
    static let marshallingError = ZMARSHALLINGERROR.rawValue
    static let noNode = ZNONODE.rawValue

    /// Codes that a single operation of a transaction reports (as opposed to the whole request).
    static let perOperation: Set<Int32> = [
        ZNONODE.rawValue, ZNODEEXISTS.rawValue, ZBADVERSION.rawValue, ZNOTEMPTY.rawValue,
        ZNOCHILDRENFOREPHEMERALS.rawValue, ZBADARGUMENTS.rawValue, ZNOAUTH.rawValue, ZINVALIDACL.rawValue,
    ]
}

extension CoordinationError {
    /// Maps a C client result code for an operation on `path`.
    init(zooKeeperCode code: Int32, path: String) {
        switch code {
        case ZNONODE.rawValue: self = .noNode(path)
        case ZNODEEXISTS.rawValue: self = .nodeExists(path)
        case ZBADVERSION.rawValue: self = .badVersion(path)
        case ZNOTEMPTY.rawValue: self = .notEmpty(path)
        case ZNOCHILDRENFOREPHEMERALS.rawValue: self = .noChildrenForEphemerals(path)
        case ZBADARGUMENTS.rawValue: self = .invalidPath(path)
        case ZNOAUTH.rawValue, ZAUTHFAILED.rawValue, ZINVALIDACL.rawValue: self = .notAuthorized(path)
        case ZCONNECTIONLOSS.rawValue, ZSESSIONMOVED.rawValue: self = .connectionLoss
        case ZSESSIONEXPIRED.rawValue, ZINVALIDSTATE.rawValue: self = .sessionExpired
        case ZOPERATIONTIMEOUT.rawValue: self = .operationTimeout
        case ZCLOSING.rawValue: self = .closed
        default:
            let message = zerror(code).map { String(cString: $0) } ?? "unknown error"
            self = .unexpected(code: code, message: message)
        }
    }
}
