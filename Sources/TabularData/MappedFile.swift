// A read-only memory map of a CSV file whose already-parsed pages are handed back to the OS as
// the reader moves on, so reading a big file keeps memory near the size of the parsed columns
// rather than of the text. Released pages are re-read from the file if touched again.

import Foundation

/// A private, read-only mapping of a whole file.
final class MappedFile {
    let bytes: UnsafeBufferPointer<UInt8>
    private let base: UnsafeMutableRawPointer?
    private let length: Int

    init(path: String) throws {
        // Check the type before opening: open(2) on a FIFO blocks until a writer appears.
        var info = stat()
        if stat(path, &info) == 0, let kind = nonRegularFileKind(mode: info.st_mode) {
            throw DataError.cannotRead(file: path, reason: "not a regular file: it is \(kind)")
        }
        // O_NONBLOCK: should the path be swapped for a FIFO after the check, open still returns.
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else { throw DataError.cannotRead(file: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard fstat(fd, &info) == 0 else { throw DataError.cannotRead(file: path, reason: String(cString: strerror(errno))) }
        if let kind = nonRegularFileKind(mode: info.st_mode) {
            throw DataError.cannotRead(file: path, reason: "not a regular file: it is \(kind)")
        }
        length = Int(info.st_size)
        if length == 0 {
            base = nil
            bytes = UnsafeBufferPointer(start: nil, count: 0)
            return
        }
        guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw DataError.cannotRead(file: path, reason: String(cString: strerror(errno)))
        }
        base = mapped
        bytes = UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: length)
    }

    deinit {
        if let base { munmap(base, length) }
    }

    /// Drops the resident pages wholly below `offset`.
    func release(upTo offset: Int) {
        guard let base else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let end = offset / page * page
        if end > 0 { madvise(base, end, Int32(MADV_DONTNEED)) }
    }
}

/// What a `stat` mode describes when it is not a regular file ("a directory", "a FIFO (named
/// pipe)", ...), for messages; nil for a regular file.
public func nonRegularFileKind(mode: mode_t) -> String? {
    switch mode & S_IFMT {
    case S_IFREG: return nil
    case S_IFDIR: return "a directory"
    case S_IFIFO: return "a FIFO (named pipe)"
    case S_IFCHR: return "a character device"
    case S_IFBLK: return "a block device"
    case S_IFSOCK: return "a socket"
    default: return "a special file"
    }
}

/// Calls `release` each time reading has moved another `stride` bytes (default 16 MiB).
struct PageReleaser {
    let release: ((Int) -> Void)?
    let stride: Int
    private var next: Int

    init(stride: Int = 16 << 20, release: ((Int) -> Void)?) {
        self.release = release
        self.stride = stride
        next = stride
    }

    @inline(__always)
    mutating func reached(_ offset: Int) {
        if offset >= next, let release {
            release(offset)
            next = offset + stride
        }
    }
}
