#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes to the standard streams without buffering, so that text written by different parts of
/// a command (the progress bar, the result, an error) comes out in order.
enum Console {
    /// A standard stream.
    enum Stream: Int32 {
        case standardOutput = 1
        case standardError = 2
    }

    /// Writes a text as UTF-8, byte for byte.
    static func write(_ text: String, to stream: Stream = .standardOutput) {
        write(Array(text.utf8), to: stream)
    }

    /// Writes a line: the text and a line feed.
    static func line(_ text: String, to stream: Stream = .standardOutput) {
        write(text + "\n", to: stream)
    }

    /// Writes bytes, retrying short and interrupted writes; a closed pipe ends the output silently.
    static func write(_ bytes: [UInt8], to stream: Stream = .standardOutput) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(stream.rawValue, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }

    /// Writes a warning line on standard error.
    static func warn(_ text: String) {
        line("replica-node: warning: \(text)", to: .standardError)
    }

    /// Whether a stream is a terminal (where progress bars and colours make sense).
    static func isTerminal(_ stream: Stream) -> Bool {
        isatty(stream.rawValue) == 1
    }

    private static func systemWrite(_ descriptor: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, pointer, count)
        #else
        Darwin.write(descriptor, pointer, count)
        #endif
    }
}
