import Foundation
import SyncCore
import SyncTestSupport
import Testing

@testable import HubServer

/// Many sign-ins at once against a real `hub-server serve`.
///
/// Password hashing stays within its threads (never more than two at once), excess attempts are
/// told to come back later, and the sync routes keep answering meanwhile. Nothing here is timed.
@Suite(.serialized) struct SignInLoadTests {
    private static let formToken = String(repeating: "B", count: 43)

    private static func signIn(port: Int, username: String) async throws -> String {
        let socket = try LoopbackSocket(port: port)
        defer { socket.close() }
        let body = "_csrf=\(formToken)&username=\(username)&password=not-the-password"
        let request = [
            "POST /login HTTP/1.1", "Host: 127.0.0.1:\(port)", "Cookie: csrf=\(formToken)",
            "Content-Type: application/x-www-form-urlencoded", "Content-Length: \(body.utf8.count)",
            "Connection: close",
        ]
        let answer = try await socket.exchange(request.joined(separator: "\r\n") + "\r\n\r\n" + body)
        return String(answer.split(separator: " ").dropFirst().first ?? "")
    }

    private static func gauge(_ name: String, port: Int) async throws -> Int? {
        let socket = try LoopbackSocket(port: port)
        defer { socket.close() }
        let text = try await socket.exchange("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        let line = text.components(separatedBy: "\n").first { $0.hasPrefix(name + " ") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "").map { Int($0) } }
    }

    @Test func parallelSignIns_stayWithinTheHashingLimit_andSyncKeepsAnswering() async throws {
        let hub = try HubServerProcess()
        let token = try await hub.enroll(commune: "ounagha")
        do {
            let accounts = try SQLiteAccountStore(try ReplicaStore(path: hub.database))
            try await accounts.createAccount(
                username: "amina",
                role: .admin,
                passwordHash: try PasswordHasher().hash("x-long-password")
            )
        }
        let url = try await hub.start()
        let port = try #require(url.port)
        let replica = try ReplicaNodeProgram()
        try await replica.initialize(commune: "ounagha", hub: url, token: token)
        try await replica.createProposals(3, prefix: "Piste")

        let (statuses, synced) = try await withThrowingTaskGroup(of: [String].self) { group in
            for index in 0..<40 {
                group.addTask {
                    [try await Self.signIn(port: port, username: index % 2 == 0 ? "amina" : "user\(index)")]
                }
            }
            group.addTask {
                var reports: [String] = []
                for _ in 0..<3 { reports.append(try await replica.syncReport().digestsMatch ? "synced" : "differ") }
                return reports
            }
            var all: [String] = []
            for try await part in group { all += part }
            return (all.filter { $0 != "synced" && $0 != "differ" }, all.filter { $0 == "synced" }.count)
        }
        #expect(statuses.count == 40)
        #expect(statuses.allSatisfy { ["401", "429", "503"].contains($0) }, "\(statuses)")
        #expect(statuses.contains { $0 == "429" || $0 == "503" }, "no attempt was told to wait: \(statuses)")
        #expect(synced == 3)
        let peak = try #require(try await Self.gauge("hub_password_hashes_peak", port: port))
        #expect((1...2).contains(peak))
        #expect(try await Self.gauge("hub_password_hashes_running", port: port) == 0)
        try await hub.stop()
    }
}
