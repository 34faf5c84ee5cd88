/// Numbers for integer keys (a term's stems packed in 64 bits): open addressing, no
/// hashing of its own per lookup beyond one multiplication.
struct TermTable {
    /// Per slot: the key, and its value + 1 (0 when the slot is empty).
    private var keys = [UInt64](repeating: 0, count: 4096)
    private var values = [Int32](repeating: 0, count: 4096)
    private(set) var count = 0

    /// The value stored for `key`, or `new`, stored for it now (`inserted`).
    mutating func value(of key: UInt64, orInsert new: Int32) -> (value: Int32, inserted: Bool) {
        if (count + 1) * 2 > keys.count { grow() }
        let mask = keys.count - 1
        var slot = Self.slot(key, mask: mask)
        while values[slot] != 0 {
            if keys[slot] == key { return (values[slot] - 1, false) }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        values[slot] = new + 1
        count += 1
        return (new, true)
    }

    private static func slot(_ key: UInt64, mask: Int) -> Int {
        // Fibonacci hashing: the high bits of the product are well mixed.
        Int(truncatingIfNeeded: (key &* 0x9e37_79b9_7f4a_7c15) >> 32) & mask
    }

    private mutating func grow() {
        let (oldKeys, oldValues) = (keys, values)
        keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
        values = [Int32](repeating: 0, count: oldKeys.count * 2)
        let mask = keys.count - 1
        for index in oldKeys.indices where oldValues[index] != 0 {
            var slot = Self.slot(oldKeys[index], mask: mask)
            while values[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = oldKeys[index]
            values[slot] = oldValues[index]
        }
    }
}
