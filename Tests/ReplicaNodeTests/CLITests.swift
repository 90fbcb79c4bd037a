import Foundation
import SyncCore
import Testing

@testable import ReplicaNode

/// Runs the real `replica-node` binary on temporary databases.
@Suite struct CLITests {
    private let arabicTitle = "تهيئة ساحة مولاي الحسن وتوفير ممرات للراجلين"
    private let tifinaghBody = "ⴰⵙⵏⵓⵍⴼⵓ ⵏ ⵜⵙⵓⵔⵉⵏ, \"ⴰⵣⵓⵍ\" — مع مراعاة الطابع التاريخي"

    @Test func initialize_printsTheReplicaIDAndStoresSettings() async throws {
        let node = try ReplicaNodeProcess()
        let result = try await node.initialize(commune: "Tamanar")
        #expect(result.status == 0, "\(result.stderr)")
        let printed = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let store = try ReplicaStore(path: node.database)
        #expect(printed == store.replicaID.rawValue)
        #expect(
            try NodeSettings.load(from: store)
                == NodeSettings(commune: "tamanar", hub: URL(string: "http://127.0.0.1:9")!, token: TestHub.token)
        )
    }

    @Test(arguments: [
        (["--commune", "Rabat!", "--hub", "http://127.0.0.1:9", "--token-stdin"], "invalid commune code"),
        (["--commune", "ounagha", "--hub", "ftp://hub", "--token-stdin"], "http:// or https://"),
        (["--commune", "ounagha", "--hub", "http://127.0.0.1:9", "--token", TestHub.token], "process list"),
        (["--commune", "ounagha", "--hub", "http://127.0.0.1:9"], "--token-file PATH"),
        (["--commune", "ounagha", "--hub", "http://127.0.0.1:9", "--token-stdin", "--token-file", "t"], "not both"),
    ])
    func initialize_refusesBadArgumentsSayingWhatToDo(_ arguments: [String], message: String) async throws {
        let node = try ReplicaNodeProcess()
        let result = try await node.run(["init", "--db", node.database] + arguments, input: TestHub.token + "\n")
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!result.stderr.contains(TestHub.token))
        #expect(!FileManager.default.fileExists(atPath: node.database))
    }

    @Test(arguments: [["--token-stdin"], ["--token", "-"]])
    func initialize_readsTheCredentialFromStandardInput(_ option: [String]) async throws {
        let node = try ReplicaNodeProcess()
        let arguments = ["init", "--db", node.database, "--commune", "ounagha", "--hub", "http://127.0.0.1:9"] + option
        let result = try await node.run(arguments, input: "  \(TestHub.token)  \n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try NodeSettings.load(from: try ReplicaStore(path: node.database)).token == TestHub.token)
    }

    @Test(arguments: ["secret", "", "esw1.x"])
    func initialize_refusesAnInvalidCredentialAndCreatesNothing(_ input: String) async throws {
        let node = try ReplicaNodeProcess()
        let stdin = try await node.run(
            ["init", "--db", node.database, "--commune", "ounagha", "--hub", "http://127.0.0.1:9", "--token-stdin"],
            input: input + "\n"
        )
        #expect(stdin.status == 65)
        #expect(stdin.stderr.contains("standard input does not hold a credential"), "\(stdin.stderr)")
        let file = try node.write("bad.token", Array(input.utf8))
        let fromFile = try await node.run(
            [
                "init", "--db", node.database, "--commune", "ounagha", "--hub", "http://127.0.0.1:9", "--token-file",
                file,
            ]
        )
        #expect(fromFile.status == 65)
        #expect(fromFile.stderr.contains("does not hold a credential"), "\(fromFile.stderr)")
        #expect(!FileManager.default.fileExists(atPath: node.database))
    }

    @Test func initialize_communeUnknownHere_andHubUnreachable_isRefused_leavingNoDatabase() async throws {
        let node = try ReplicaNodeProcess()
        let tokenFile = try node.write("hub.token", Array(TestHub.token.utf8))
        let result = try await node.run([
            "init", "--db", node.database, "--commune", "rabat", "--hub", "http://127.0.0.1:9", "--token-file",
            tokenFile,
        ])
        #expect(result.status == 75)
        #expect(result.stderr.contains("unknown commune 'rabat'") && result.stderr.contains("could not be asked"))
        #expect(!FileManager.default.fileExists(atPath: node.database))
    }

    @Test func commands_refuseADatabaseThatWasNeverInitialized() async throws {
        let node = try ReplicaNodeProcess()
        let result = try await node("proposal", "list")
        #expect(result.status == 78)
        #expect(result.stderr.contains("replica-node init"))
    }

    @Test func proposal_createListShowKeepArabicByteForByte() async throws {
        let node = try ReplicaNodeProcess()
        try await node.initialize()
        let created = try await node(
            "proposal",
            "create",
            "--title",
            arabicTitle,
            "--body",
            tifinaghBody,
            "--category",
            "urbanisme"
        )
        #expect(created.status == 0, "\(created.stderr)")
        let id = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect((try? RecordID.validate(id)) != nil)

        let list = try await node("proposal", "list")
        #expect(list.stdout.contains(id) && list.stdout.contains(arabicTitle))

        let shown = try await node("proposal", "show", id, "--json")
        let detail = try JSONDecoder().decode(ShownProposal.self, from: Data(shown.stdoutBytes))
        #expect(Array(detail.proposal.title.utf8) == Array(arabicTitle.utf8))
        #expect(Array(detail.proposal.body.utf8) == Array(tifinaghBody.utf8))
        #expect(detail.proposal.commune == "essaouira")
    }

    @Test func proposal_showOfAnUnknownIDExitsNotFound() async throws {
        let node = try ReplicaNodeProcess()
        try await node.initialize()
        let result = try await node("proposal", "show", RecordID.make())
        #expect(result.status == 66)
        #expect(result.stderr.hasPrefix("error: no proposal with id"))
        let json = try await node("proposal", "show", RecordID.make(), "--json")
        let error = try JSONDecoder().decode(ErrorResponse.self, from: Data(json.stderr.utf8))
        #expect(error.error.code == "record-not-found")
    }

    @Test func import_readsQuotedMultilineCSVWithBOMAndCRLF() async throws {
        let node = try ReplicaNodeProcess()
        try await node.initialize()
        let csv =
            "\u{FEFF}commune,category,title,body\r\n"
            + "essaouira,urbanisme,\"\(arabicTitle)\",\"\(tifinaghBody.replacingOccurrences(of: "\"", with: "\"\""))\"\r\n"
            + "essaouira,culture,Programme culturel,\"Musique gnaoua, lecture\r\net ateliers\"\r\n"
            + ",jeunesse,فضاء رقمي للشباب,نص\r\n"
        let file = try node.write("paper.csv", Array(csv.utf8))
        let result = try await node("import", "--csv", file)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("imported 3 proposals"))

        let proposals = try ReplicaStore(path: node.database).proposals()
        #expect(Set(proposals.map(\.title)) == [arabicTitle, "Programme culturel", "فضاء رقمي للشباب"])
        #expect(proposals.contains { $0.body == tifinaghBody })
        #expect(proposals.contains { $0.body == "Musique gnaoua, lecture\r\net ateliers" })
    }

    @Test(arguments: [
        ("title,body\nA,B\nC,D\n\"never closed,E\nF,G\n", "line 4"),
        ("title,body\nA,B\nC,D,E\n", "line 3"),
        ("commune,title,body\nessaouira,A,B\ntamanar,C,D\n", "line 3"),
    ])
    func import_refusesAMalformedFileWithItsLineAndImportsNothing(_ csv: String, line: String) async throws {
        let node = try ReplicaNodeProcess()
        try await node.initialize()
        let file = try node.write("bad.csv", Array(csv.utf8))
        let result = try await node("import", "--csv", file)
        #expect(result.status == 65)
        #expect(result.stderr.contains(line), "\(result.stderr)")
        #expect(result.stderr.contains("nothing was imported"))
        #expect(try ReplicaStore(path: node.database).proposals().isEmpty)
    }

    @Test(.enabled(if: SampleData.proposals != nil))
    func import_readsTheSampleProposalsOfOneCommune() async throws {
        let node = try ReplicaNodeProcess()
        try await node.initialize(commune: "ounagha")
        let records = try CSVParser().parse(SampleData.proposals!)
        let header = records[0].fields
        let commune = header.firstIndex(of: "commune")!
        let rows = records.dropFirst().filter { $0.fields[commune] == "ounagha" }
        let csv = ([header] + rows.map(\.fields)).map(ProposalCSV.line).joined()
        let result = try await node("import", "--csv", try node.write("ounagha.csv", Array(csv.utf8)), "--json")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try ReplicaStore(path: node.database).proposals().count == rows.count)

        let mixed = try await node("import", "--csv", ReplicaNodeProcess.samplePath)
        #expect(mixed.status == 65)
        #expect(mixed.stderr.contains("line 2"))
    }

    @Test func export_jsonIsTheCanonicalExportAndDigestMatches() async throws {
        let node = try ReplicaNodeProcess()
        try await node.initialize()
        _ = try await node("proposal", "create", "--title", arabicTitle, "--body", tifinaghBody)
        let exported = try await node("export", "--format", "json")
        let digest = try await node("digest")
        let store = try ReplicaStore(path: node.database)
        #expect(exported.stdoutBytes == (try store.exportCanonicalJSON()))
        #expect(digest.stdout == (try store.digest()) + "\n")
    }

    @Test func export_csvQuotesFieldsSoTheyParseBack() async throws {
        let node = try ReplicaNodeProcess()
        try await node.initialize()
        _ = try await node("proposal", "create", "--title", arabicTitle, "--body", tifinaghBody, "--category", "a,b")
        let exported = try await node("export", "--format", "csv")
        let records = try CSVParser().parse(exported.stdoutBytes)
        #expect(records.map(\.fields.count) == [9, 9])
        #expect(records[0].fields == ProposalCSV.exportHeader)
        #expect(
            records[1].fields[2] == arabicTitle && records[1].fields[3] == tifinaghBody && records[1].fields[4] == "a,b"
        )
    }

    @Test func export_csvNeutralisesCellsThatStartLikeFormulas() async throws {
        let node = try ReplicaNodeProcess()
        try await node.initialize()
        let hostile = "=HYPERLINK(\"http://x\",\"y\")"
        let created = try await node("proposal", "create", "--title", hostile, "--body=-1", "--category", "@SUM(A1)")
        #expect(created.status == 0, "\(created.stderr)")
        let exported = try await node("export", "--format", "csv")
        let records = try CSVParser().parse(exported.stdoutBytes)
        try #require(records.count == 2)
        #expect(records[1].fields[2] == "'" + hostile)
        #expect(records[1].fields[3] == "'-1")
        #expect(records[1].fields[4] == "'@SUM(A1)")
        #expect(records[1].fields[6] == "0")
    }

    @Test func sync_toAnUnreachableHubFailsClearlyAndKeepsLocalData() async throws {
        let node = try ReplicaNodeProcess()
        try await node.initialize(hub: "http://127.0.0.1:\(try LoopbackPort.free())")
        _ = try await node("proposal", "create", "--title", arabicTitle, "--body", "x")
        let before = try await node("digest")
        let result = try await node("sync", "--retries", "1")
        #expect(result.status == 75)
        #expect(result.stderr.contains("is unreachable"), "\(result.stderr)")
        #expect(result.stderr.contains("local writes are safe"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try await node("digest").stdout == before.stdout)
        #expect(try ReplicaStore(path: node.database).proposals().map(\.title) == [arabicTitle])

        let status = try await node("status", "--json")
        #expect(status.status == 0)
        let shown = try JSONDecoder().decode(ShownStatus.self, from: Data(status.stdoutBytes))
        #expect(!shown.hubReachable && shown.pendingChanges > 0 && shown.lastSyncAt == nil)
    }

    @Test func daemon_stopsCleanlyOnSIGTERM() async throws {
        let node = try ReplicaNodeProcess()
        try await node.initialize(hub: "http://127.0.0.1:\(try LoopbackPort.free())")
        let arguments = ["daemon", "--interval", "1", "--retries", "0", "--db", node.database]
        let result = try await node.run(arguments) { process, stderr in
            for _ in 0..<300 {
                let logged = (try? String(contentsOf: stderr, encoding: .utf8)) ?? ""
                if logged.contains("sync failed") { break }
                try? await Task.sleep(for: .milliseconds(100))
            }
            process.terminate()
        }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("sync failed"))
        #expect(result.stderr.contains("sync daemon stopped"))
    }
}

/// What `proposal show --json` prints.
private struct ShownProposal: Decodable {
    var proposal: Proposal
    var conflicts: [Conflict]
    var comments: Int
}

/// What `status --json` prints, in part.
struct ShownStatus: Decodable {
    var hubReachable: Bool
    var pendingChanges: Int
    var lastSyncAt: Int64?
    var digestMatchedAtLastSync: Bool?
    var hubDigestMatchesNow: Bool?
}

/// The shared sample file, when this checkout has it beside it.
enum SampleData {
    static let proposals: [UInt8]? = FileManager.default.contents(atPath: ReplicaNodeProcess.samplePath).map(Array.init)
}

extension ReplicaNodeProcess {
    /// `shared/data/sample-proposals.csv` beside the repository.
    static let samplePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/data/sample-proposals.csv").path
}
