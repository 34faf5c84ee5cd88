/// Numbers for words given as UTF-8 bytes, so a corpus looks each occurrence up
/// without making a string of it: open addressing over one byte arena.
struct WordTable {
    /// Per slot: the entry's index + 1, or 0 when empty. Always a power of two long.
    private var slots = [Int32](repeating: 0, count: 1024)
    private var arena: [UInt8] = []
    private var entries: [(start: Int32, length: Int32, hash: UInt64, value: Int32)] = []

    /// The value stored for `bytes`, or nil.
    func value(of bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        let hash = Self.hash(bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let entry = entries[Int(slots[slot]) - 1]
            if entry.hash == hash, Int(entry.length) == bytes.count, matches(entry.start, bytes) { return entry.value }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Stores `value` for `bytes`, which must not be stored yet.
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, value: Int32) {
        if (entries.count + 1) * 2 > slots.count { grow() }
        let hash = Self.hash(bytes)
        entries.append((Int32(arena.count), Int32(bytes.count), hash, value))
        arena.append(contentsOf: bytes)
        place(entries.count - 1, hash: hash)
    }

    private func matches(_ start: Int32, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        arena.withUnsafeBufferPointer { arena in
            for offset in 0..<bytes.count where arena[Int(start) + offset] != bytes[offset] { return false }
            return true
        }
    }

    private mutating func place(_ entry: Int, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(entry + 1)
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        for (index, entry) in entries.enumerated() { place(index, hash: entry.hash) }
    }

    /// FNV-1a, then a final mix so the low bits (the slot) depend on every byte.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return (hash ^ (hash >> 29)) &* 0xbf58_476d_1ce4_e5b9
    }
}
