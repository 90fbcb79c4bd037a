import Foundation
import SyncCore

/// Makes a `SyncReport` as a peer would have produced it (the type has no public initializer).
func makeReport(pushed: Int = 0, pulled: Int = 0, clockOffsetMillis: Int64 = 0) throws -> SyncReport {
    let json = """
        {"pushed":\(pushed),"pulled":\(pulled),"batches":1,"localDigest":"a","remoteDigest":"a",\
        "clockOffsetMillis":\(clockOffsetMillis)}
        """
    return try JSONDecoder().decode(SyncReport.self, from: Data(json.utf8))
}
