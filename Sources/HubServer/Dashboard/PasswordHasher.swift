import Crypto
import Foundation
import _CryptoExtras

/// Hashes dashboard passwords with scrypt, a slow and memory-hard key-derivation function, and
/// checks passwords against stored hashes.
///
/// A hash is stored as `$scrypt$ln=15,r=8,p=1$<salt>$<key>` (base64, 16-byte random salt, 32-byte
/// key), so the cost can be raised later without invalidating older hashes.
struct PasswordHasher: Sendable {
    /// log2 of scrypt's N: 15 (32 MiB, about a tenth of a second) by default.
    var logRounds: Int
    /// scrypt's block size r.
    var blockSize = 8
    /// scrypt's parallelism p.
    var parallelism = 1

    init(logRounds: Int = 15) {
        precondition((10...20).contains(logRounds), "scrypt cost out of range: \(logRounds)")
        self.logRounds = logRounds
    }

    /// The shortest password accepted.
    static let minimumLength = 10

    /// Hashes a password with a new random salt.
    ///
    /// - Parameter password: The password.
    /// - Returns: The encoded hash.
    /// - Throws: An error from the key derivation.
    func hash(_ password: String) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let key = try Self.derive(
            password,
            salt: salt,
            logRounds: logRounds,
            blockSize: blockSize,
            parallelism: parallelism
        )
        return "$scrypt$ln=\(logRounds),r=\(blockSize),p=\(parallelism)$"
            + "\(Data(salt).base64EncodedString())$\(Data(key).base64EncodedString())"
    }

    /// Whether a password matches a stored hash; a malformed hash matches nothing.
    ///
    /// - Parameters:
    ///   - password: The password typed.
    ///   - encoded: The stored hash.
    /// - Returns: `true` when it matches.
    func verify(_ password: String, against encoded: String) -> Bool {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: true)
        guard parts.count == 4, parts[0] == "scrypt", let salt = Data(base64Encoded: String(parts[2])),
            let expected = Data(base64Encoded: String(parts[3])), expected.count == 32
        else { return false }
        var cost: [String: Int] = [:]
        for item in parts[1].split(separator: ",") {
            let pair = item.split(separator: "=")
            if pair.count == 2, let value = Int(pair[1]) { cost[String(pair[0])] = value }
        }
        guard let logRounds = cost["ln"], (10...20).contains(logRounds), let blockSize = cost["r"],
            (1...16).contains(blockSize), let parallelism = cost["p"], (1...4).contains(parallelism),
            let key = try? Self.derive(
                password,
                salt: Array(salt),
                logRounds: logRounds,
                blockSize: blockSize,
                parallelism: parallelism
            )
        else { return false }
        return zip(key, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Spends the time of one verification, so that an unknown username takes as long to refuse
    /// as a wrong password.
    func spendVerificationTime() {
        _ = try? Self.derive(
            "-",
            salt: Array(repeating: 0, count: 16),
            logRounds: logRounds,
            blockSize: blockSize,
            parallelism: parallelism
        )
    }

    private static func derive(
        _ password: String,
        salt: [UInt8],
        logRounds: Int,
        blockSize: Int,
        parallelism: Int
    ) throws -> [UInt8] {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(password.utf8),
            salt: salt,
            outputByteCount: 32,
            rounds: 1 << logRounds,
            blockSize: blockSize,
            parallelism: parallelism
        )
        return key.withUnsafeBytes { Array($0) }
    }
}
