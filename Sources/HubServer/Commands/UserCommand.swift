import ArgumentParser
import Foundation
import SyncCore

/// `hub-server user add|list|remove|passwd`: the accounts of the coordinators' dashboard.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage the dashboard's accounts (read, answer or admin).",
        discussion: """
            Accounts live in the hub's database (--db or --postgres), in tables of the hub's own, and \
            are never replicated. Passwords are hashed with scrypt; they are read from standard input \
            with --password-stdin, else asked for on the terminal.
            """,
        subcommands: [Add.self, List.self, Remove.self, Passwd.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The sign-in name: letters, digits, '.', '_', '-' or '@'.") var username: String
        @Option(help: "read (see everything), answer (also answer and resolve) or admin (also accounts and replicas).")
        var role: String
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

        func validate() throws {
            guard AccountRole(rawValue: role) != nil else {
                throw ValidationError("unknown role '\(role.prefix(20))'; use read, answer or admin")
            }
        }

        func run() async throws {
            try await Terminal.reportingAsyncErrors {
                let password = try PasswordInput.read(fromStdin: passwordStdin, confirm: true)
                let hash = try PasswordHasher().hash(password)
                let (username, role) = (username, AccountRole(rawValue: role)!)
                let account = try await database.withAccounts(existing: false) { accounts in
                    try await accounts.createAccount(username: username, role: role, passwordHash: hash)
                }
                Terminal.write("Created account '\(account.username)' with role \(account.role.rawValue).\n")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the accounts.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await Terminal.reportingAsyncErrors {
                let accounts = try await database.withAccounts { try await $0.accounts() }
                guard !accounts.isEmpty else {
                    Terminal.write("No account yet; add one with 'hub-server user add --username NAME --role admin'.\n")
                    return
                }
                let folded = Dictionary(grouping: accounts) { $0.username.lowercased() }
                for account in accounts {
                    let created = ReplicaReport.formatTime(account.createdAt)
                    let twin = (folded[account.username.lowercased()]?.count ?? 0) > 1
                    let note = twin ? "  (another account differs only by case: remove one with its exact name)" : ""
                    Terminal.write(
                        "\(account.username.padding(toLength: 24, withPad: " ", startingAt: 0)) \(account.role.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(created)\(note)\n"
                    )
                }
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an account and end its sessions.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The account's name.") var username: String

        func run() async throws {
            try await Terminal.reportingAsyncErrors {
                let username = username
                let account = try await database.withAccounts { try await $0.deleteAccount(username) }
                Terminal.write("Deleted account '\(account.username)'.\n")
            }
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set an account's password and end its sessions.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The account's name.") var username: String
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

        func run() async throws {
            try await Terminal.reportingAsyncErrors {
                let username = username
                let password = try PasswordInput.read(fromStdin: passwordStdin, confirm: true)
                let hash = try PasswordHasher().hash(password)
                let account = try await database.withAccounts { accounts in
                    guard let account = try await accounts.account(named: username) else {
                        throw SyncError(
                            .recordNotFound,
                            "no account named '\(username.prefix(64))'; nothing was changed"
                        )
                    }
                    try await accounts.updateAccount(account.username, passwordHash: hash)
                    return account
                }
                Terminal.write("Password of '\(account.username)' changed; its sessions were ended.\n")
            }
        }
    }
}

/// Reads a new password from standard input or, on a terminal, without echo.
enum PasswordInput {
    /// Reads and checks a password.
    ///
    /// - Parameters:
    ///   - fromStdin: Read the first line of standard input instead of asking.
    ///   - confirm: Ask twice on a terminal.
    /// - Returns: The password.
    /// - Throws: ``SyncError`` when it is too short, or the two entries differ.
    static func read(fromStdin: Bool, confirm: Bool) throws -> String {
        let password: String
        if fromStdin || isatty(STDIN_FILENO) != 1 {
            password = readLine(strippingNewline: true) ?? ""
        } else {
            password = prompt("Password: ")
            if confirm, prompt("Password again: ") != password {
                throw SyncError(.invalidArgument, "the two passwords differ; nothing was changed")
            }
        }
        guard password.count >= PasswordHasher.minimumLength, password.utf8.count <= 1_024 else {
            throw SyncError(
                .invalidArgument,
                "the password must have at least \(PasswordHasher.minimumLength) characters; nothing was changed"
            )
        }
        return password
    }

    private static func prompt(_ text: String) -> String {
        FileHandle.standardError.write(Data(text.utf8))
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }
}
