import Foundation
import SyncTestSupport
import Testing

/// A hub whose SQLite file another process keeps locked for writing.
///
/// The pushes wait for the lock, and meanwhile every other request is still answered, because a
/// request waiting on the store holds no thread of the cooperative pool (`ServedReplicaStore`).
/// Nothing here is timed: the test checks that `/health` answered while the lock was still held.
@Suite(.serialized) struct StoreWaitTests {
    private static let communes = ["essaouira", "ounagha", "tamanar", "essaouira"]

    @Test func hubWaitingForTheWriteLock_stillAnswersOtherRequests() async throws {
        let hub = try HubServerProcess()
        var tokens: [String] = []
        for commune in Self.communes { tokens.append(try await hub.enroll(commune: commune)) }
        let url = try await hub.start()
        let port = try #require(url.port)
        let replicas = try Self.communes.map { _ in try ReplicaNodeProgram() }
        for (index, replica) in replicas.enumerated() {
            try await replica.initialize(commune: Self.communes[index], hub: url, token: tokens[index])
            let created = try await replica("proposal", "create", "--title", "مقترح \(index)", "--body", "نص")
            #expect(created.succeeded, "\(created.stderr)")
        }

        // Another process takes the write lock and keeps it for 20 s unless killed first.
        let locker = try ChildProcess.spawn(
            "/usr/bin/python3",
            [
                "-c",
                """
                import sqlite3, sys, time
                db = sqlite3.connect(sys.argv[1], isolation_level=None)
                db.execute('BEGIN IMMEDIATE')
                print('locked', flush=True)
                time.sleep(20)
                """,
                hub.database,
            ],
            folder: hub.folder
        )
        #expect(try await locker.waitForOutput("locked"))

        // Four exchanges at once: each waits for the lock at its first write.
        let syncs = replicas.map { replica in Task { try await replica("sync", "--retries", "0") } }
        try await Task.sleep(for: .seconds(1))
        let socket = try LoopbackSocket(port: port)
        let health = try await socket.exchange("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        socket.close()
        let answeredWhileLocked = locker.isRunning
        #expect(health.hasPrefix("HTTP/1.1 200"), "\(health.prefix(200))")
        #expect(answeredWhileLocked, "/health answered only once the lock was released")

        locker.kill()
        _ = try await locker.wait()
        for (index, sync) in syncs.enumerated() {
            let result = try await sync.value
            #expect(result.succeeded, "sync of \(Self.communes[index]) failed: \(result.stderr)")
        }
        let digest = try await hub.digest()
        for replica in replicas {
            expectSuccess(try await replica("sync"), "second sync")
            #expect(try await replica.digest() == digest)
        }
        try await hub.stop()
    }

    private func expectSuccess(_ result: ProgramResult, _ what: String) {
        #expect(result.succeeded, "\(what) failed: \(result.stderr)")
    }
}
