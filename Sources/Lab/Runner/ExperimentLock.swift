// Locks in an experiment folder, so concurrent `tabcorr run`s (or `reproduce` shards) never race:
// `.seed-<k>.lock` is held while a process works on seed k (a second process refuses at once), and
// `.experiment.lock` is held for the short moments that change or read the finished seed folders
// (renaming a seed into place, writing summary.json). Also the check that a `seed-<k>` path the
// runner is about to replace is TabCorr's own run folder and not the user's data.

import Foundation

/// An exclusive `flock(2)` on a file holding the owner's pid. The kernel releases it when the
/// process dies (even by SIGKILL), so a lock file left by a killed run is simply taken over; the
/// file is removed on `release()`.
final class ExperimentLock {
    let path: String
    private var descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { release() }

    /// Takes the lock at `path`; with `wait` false, returns nil when another process holds it.
    /// - Throws: `LabError` when the lock file cannot be created.
    static func acquire(_ path: String, wait: Bool) throws -> ExperimentLock? {
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw LabError("\(path): cannot create the lock file (\(String(cString: strerror(errno)))); choose a writable --out folder")
            }
            var result: Int32
            repeat { result = flock(fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB) } while result != 0 && errno == EINTR
            if result != 0 {
                let reason = errno
                close(fd)
                if reason == EWOULDBLOCK { return nil }
                throw LabError("\(path): cannot lock the file (\(String(cString: strerror(reason)))); "
                    + "TabCorr locks seeds in the results folder so that two runs never write the same seed; choose an --out folder on a local disk")
            }
            // The holder before us may have removed the file after we opened it: then we hold a lock
            // on a file nobody else will see, so start again with the file now at `path`.
            var held = stat(), current = stat()
            if fstat(fd, &held) == 0, stat(path, &current) == 0, held.st_ino == current.st_ino, held.st_dev == current.st_dev {
                let pid = Data("\(getpid())\n".utf8)
                _ = ftruncate(fd, 0)
                _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, pid.count, 0) }
                return ExperimentLock(path: path, descriptor: fd)
            }
            close(fd)
        }
    }

    /// The pid written in the lock file at `path` (its holder's), if readable.
    static func holder(of path: String) -> Int32? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Removes the lock file, then unlocks; safe to call twice.
    func release() {
        guard descriptor >= 0 else { return }
        unlink(path)
        close(descriptor)
        descriptor = -1
    }
}

extension Runner {
    /// The lock of `seed` in `experimentDirectory`, or a clear refusal when another process runs that seed.
    static func lockSeed(_ seed: Int, experimentDirectory: String) throws -> ExperimentLock {
        let path = (experimentDirectory as NSString).appendingPathComponent(".seed-\(seed).lock")
        if let lock = try ExperimentLock.acquire(path, wait: false) { return lock }
        let who = ExperimentLock.holder(of: path).map { "pid \($0)" } ?? "another process"
        throw LabError("\(experimentDirectory): seed \(seed) is being run right now by another tabcorr process (\(who), lock file \(path)); "
            + "wait for it to finish, or give this run another --out folder or name")
    }

    /// Runs `body` holding the experiment folder's short lock (waiting for it if needed).
    static func withExperimentLock<T>(_ experimentDirectory: String, _ body: () throws -> T) throws -> T {
        let path = (experimentDirectory as NSString).appendingPathComponent(".experiment.lock")
        guard let lock = try ExperimentLock.acquire(path, wait: true) else { throw LabError("\(path): cannot take the lock") }
        defer { lock.release() }
        return try body()
    }

    /// Refuses when `final` exists but is not a TabCorr run folder (a folder holding
    /// metainfo.json): TabCorr never deletes or replaces files it did not write, even with --force.
    static func refuseUnlessRunFolder(_ final: String) throws {
        let fm = FileManager.default
        guard let type = (try? fm.attributesOfItem(atPath: final))?[.type] as? FileAttributeType else { return }
        let advice = "TabCorr replaces only its own run folders; move it away or choose another --out folder"
        guard type == .typeDirectory else {
            let what = type == .typeSymbolicLink ? "a symbolic link" : type == .typeRegular ? "a file" : "not a folder"
            throw LabError("\(final) exists and is \(what), not a TabCorr run folder; \(advice)")
        }
        guard fm.fileExists(atPath: (final as NSString).appendingPathComponent("metainfo.json")) else {
            throw LabError("\(final) exists but is not a TabCorr run folder (it has no metainfo.json); \(advice)")
        }
    }
}
