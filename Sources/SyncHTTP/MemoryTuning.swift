#if canImport(Glibc)
import Glibc
#endif

/// How the hub and replica processes use the C allocator.
///
/// A sync moves batches of a few MiB: the request and answer bodies, their compressed forms and
/// the decoded changes. With glibc's defaults, buffers that large are mapped afresh and given
/// back to the system when freed, so every batch pays page faults and zeroing for memory it has
/// just returned. Here freed memory stays with the process for the next batch (the hub's CPU
/// serving a pull fell by about a fifth: Docs/PERFORMANCE.md, section 2): the sync routes and
/// the sync client set this up when they are first made.
enum MemoryTuning {
    /// Blocks up to this size come from the allocator's heaps instead of their own mappings.
    static let heapBlockLimit: Int32 = 32 << 20
    /// Free memory a heap keeps before it gives memory back to the system.
    static let keptFreeMemory: Int32 = 64 << 20

    /// Keeps large freed blocks for reuse, once per process.
    static func keepBatchBuffers() { _ = applied }

    private static let applied: Void = {
        #if canImport(Glibc)
        // `mallopt` is declared in <malloc.h>, which the Glibc module does not export.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(mmapThreshold, heapBlockLimit)
        _ = mallopt(trimThreshold, keptFreeMemory)
        #endif
    }()

    /// `M_TRIM_THRESHOLD` and `M_MMAP_THRESHOLD` of glibc's <malloc.h>.
    private static let trimThreshold: Int32 = -1
    private static let mmapThreshold: Int32 = -3
}
