/// The opening message of an exchange: who is asking, what it speaks and what it has.
///
/// Sent as `POST /v1/hello` (see Docs/PROTOCOL.md).
public struct HelloRequest: Hashable, Sendable, Codable {
    /// The protocol version the client speaks.
    public var protocolVersion: Int
    /// The schema version the client writes.
    public var schemaVersion: Int
    /// The client replica's current identity.
    public var replica: ReplicaID
    /// Identities the client's database had before (re-identified copies), whose past changes it relays.
    public var previousIdentities: [ReplicaID]
    /// What the client has.
    public var vector: VersionVector
    /// The client's state digest, sent on the closing hello of an exchange so the server can
    /// record whether both matched.
    public var digest: String?
    /// The client's wall clock when it sent the hello, Unix milliseconds, so the server can tell
    /// its operator whose clock is wrong; absent from older clients.
    public var time: Int64?
    /// The client's release (``ProgramVersion/current``), so the server's operator sees who
    /// still has to upgrade; absent from releases before 0.2.0.
    public var programVersion: String?

    /// Creates a hello.
    ///
    /// - Parameters:
    ///   - replica: The client's identity.
    ///   - previousIdentities: Its earlier identities.
    ///   - vector: What it has.
    ///   - digest: Its state digest, on a closing hello.
    ///   - schemaVersion: The schema version it writes.
    ///   - protocolVersion: The protocol version it speaks.
    ///   - time: Its wall clock, Unix milliseconds.
    ///   - programVersion: Its release.
    public init(
        replica: ReplicaID,
        previousIdentities: [ReplicaID] = [],
        vector: VersionVector,
        digest: String? = nil,
        schemaVersion: Int,
        protocolVersion: Int = ProtocolVersion.current,
        time: Int64? = nil,
        programVersion: String? = ProgramVersion.current
    ) {
        self.digest = digest
        self.time = time
        self.programVersion = programVersion
        self.protocolVersion = protocolVersion
        self.schemaVersion = schemaVersion
        self.replica = replica
        self.previousIdentities = previousIdentities
        self.vector = vector
    }
}

/// The answer to a hello: what the server has, its clock and its digest.
public struct HelloResponse: Hashable, Sendable, Codable {
    /// The protocol version the server speaks.
    public var protocolVersion: Int
    /// The server's schema version.
    public var schemaVersion: Int
    /// The server replica's identity.
    public var replica: ReplicaID
    /// What the server has.
    public var vector: VersionVector
    /// The server's wall clock, Unix milliseconds, so a client can warn about its own clock.
    public var serverTime: Int64
    /// Origins the server has bound to other communes than the client's.
    ///
    /// Changes of these origins may not be introduced by this client, so it leaves them out of
    /// its pushes (a hub restored from a backup then recovers each commune's changes from that
    /// commune's replicas). Absent from older servers.
    public var foreignOrigins: [ReplicaID]?
    /// Whether the server sends this client only part of its changes (a national hub answering
    /// a provincial hub enrolled as a relay: that province's origins and its own).
    ///
    /// The two digests then differ by design and are not compared. Absent (`nil`) means `false`.
    public var filtered: Bool?
    /// The digest of the server's merged state, at the client's schema version when the
    /// client's is older (``ReplicaStore/digest(schemaVersion:)``): the two digests are compared
    /// at the older of the two versions.
    public var digest: String
    /// The server's release (``ProgramVersion/current``); absent from releases before 0.2.0.
    public var programVersion: String?

    /// Creates a response.
    ///
    /// - Parameters:
    ///   - replica: The server's identity.
    ///   - vector: What it has.
    ///   - schemaVersion: Its schema version.
    ///   - serverTime: Its wall clock.
    ///   - digest: Its state digest.
    ///   - protocolVersion: The protocol version it speaks.
    public init(
        replica: ReplicaID,
        vector: VersionVector,
        schemaVersion: Int,
        serverTime: Int64,
        digest: String,
        protocolVersion: Int = ProtocolVersion.current
    ) {
        self.protocolVersion = protocolVersion
        self.schemaVersion = schemaVersion
        self.replica = replica
        self.vector = vector
        self.serverTime = serverTime
        self.digest = digest
        programVersion = ProgramVersion.current
    }
}

/// A request for the changes a client lacks: `POST /v1/pull`.
public struct PullRequest: Hashable, Sendable, Codable {
    /// What the client has.
    public var vector: VersionVector
    /// The most records to return.
    public var limit: Int

    /// Creates a pull request.
    ///
    /// - Parameters:
    ///   - vector: What the client has.
    ///   - limit: The most records to return.
    public init(vector: VersionVector, limit: Int) {
        self.vector = vector
        self.limit = limit
    }
}

/// The answer to a push (`POST /v1/push`, body: a ``ChangeBatch``).
public struct PushResponse: Hashable, Sendable, Codable {
    /// Changes that altered the server's state.
    public var applied: Int
    /// Changes the server already had or that were superseded.
    public var ignored: Int
    /// The server's vector after the batch.
    public var vector: VersionVector

    /// Creates a response.
    ///
    /// - Parameters:
    ///   - applied: Changes that took effect.
    ///   - ignored: Changes with no effect.
    ///   - vector: The server's vector after the batch.
    public init(applied: Int, ignored: Int, vector: VersionVector) {
        self.applied = applied
        self.ignored = ignored
        self.vector = vector
    }
}

/// The body of every error response: `{"error": {"code": "...", "message": "..."}}`.
public struct ErrorResponse: Hashable, Sendable, Codable {
    /// The error.
    public struct Body: Hashable, Sendable, Codable {
        /// The machine-readable code, such as `clock-drift`.
        public var code: String
        /// What was wrong and what to do.
        public var message: String
    }

    /// The error.
    public var error: Body

    /// Creates an error body.
    ///
    /// - Parameters:
    ///   - code: The machine-readable code.
    ///   - message: What was wrong and what to do.
    public init(code: String, message: String) {
        error = Body(code: code, message: message)
    }
}
