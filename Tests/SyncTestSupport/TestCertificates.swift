import Foundation

/// A provincial CA and a certificate it issued for localhost and 127.0.0.1, made with openssl.
public struct TestCertificates: Sendable {
    /// The CA certificate (PEM).
    public let ca: String
    /// The hub certificate (PEM).
    public let certificate: String
    /// The hub certificate's private key (PEM).
    public let key: String

    /// Makes the CA and the certificate in a folder.
    public init(in folder: TemporaryDirectory) throws {
        ca = folder.path("ca.pem")
        certificate = folder.path("hub.pem")
        key = folder.path("hub-key.pem")
        let (caKey, request, extensions) = (folder.path("ca-key.pem"), folder.path("hub.csr"), folder.path("ext.cnf"))
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\n".write(toFile: extensions, atomically: true, encoding: .utf8)
        let steps: [[String]] = [
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey, "-out", ca, "-days", "2",
                "-subj", "/CN=Essaouira provincial test CA",
            ],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", request, "-subj", "/CN=localhost"],
            [
                "x509", "-req", "-in", request, "-CA", ca, "-CAkey", caKey, "-CAcreateserial", "-out", certificate,
                "-days", "2", "-extfile", extensions,
            ],
        ]
        for step in steps {
            let result = try runProgram("/usr/bin/openssl", step)
            guard result.status == 0 else { throw CocoaError(.fileWriteUnknown) }
        }
    }
}

/// Runs a program and returns its exit status and standard output.
public func runProgram(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
