/// A binary min-heap of timers ordered by deadline, for delayed responses and HTTP/2.
struct TimerHeap {
    struct Timer {
        /// Monotonic nanoseconds.
        var deadline: UInt64
        var fd: Int32
        /// Guards against a timer firing for a later connection that reused the descriptor.
        var connectionID: UInt64
        var token: UInt64
    }

    private var timers: [Timer] = []

    var nextDeadline: UInt64? {
        timers.first?.deadline
    }

    mutating func insert(_ timer: Timer) {
        timers.append(timer)
        var child = timers.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard timers[child].deadline < timers[parent].deadline else {
                break
            }
            timers.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest timer if it is due at `now`.
    mutating func popDue(now: UInt64) -> Timer? {
        guard let first = timers.first, first.deadline <= now else {
            return nil
        }
        let last = timers.removeLast()
        guard !timers.isEmpty else {
            return first
        }
        timers[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < timers.count && timers[left].deadline < timers[smallest].deadline {
                smallest = left
            }
            if right < timers.count && timers[right].deadline < timers[smallest].deadline {
                smallest = right
            }
            guard smallest != parent else {
                break
            }
            timers.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }
}
