import NIOCore

/// What the connection writes into the pipeline: encoded commands and the promise
/// that receives their replies, in order.
struct RedisRequest: Sendable {
    var payload: ByteBuffer
    var expectedReplies: Int
    var promise: EventLoopPromise<[RedisValue]>
    var timeout: TimeAmount?
}

/// Matches replies to requests in order (Redis answers a connection's commands in
/// the order sent), which is what makes pipelining possible. Any failure (a timeout,
/// a protocol error, the socket closing) fails every request still waiting and
/// closes the channel: later replies could no longer be matched.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = RedisValue
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = ByteBuffer

    private struct Waiting {
        let number: UInt64
        let expectedReplies: Int
        let promise: EventLoopPromise<[RedisValue]>
        let deadline: Scheduled<Void>?
    }

    private var waiting = CircularBuffer<Waiting>()
    /// Replies collected so far for the request at the head of `waiting`. Kept out of
    /// the buffer: appending through its subscript would copy the array every time.
    private var headReplies: [RedisValue] = []
    private var closedReason: RedisError?
    private var requestCount: UInt64 = 0

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let closedReason {
            request.promise.fail(closedReason)
            promise?.fail(closedReason)
            return
        }
        guard request.expectedReplies > 0 else {
            request.promise.succeed([])
            promise?.succeed()
            return
        }
        requestCount += 1
        let number = requestCount
        var deadline: Scheduled<Void>?
        if let timeout = request.timeout {
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            deadline = context.eventLoop.scheduleTask(in: timeout) {
                let (handler, context) = loopBound.value
                handler.failAll(context: context, reason: .connectionClosed, timedOut: number)
            }
        }
        waiting.append(
            Waiting(number: number, expectedReplies: request.expectedReplies, promise: request.promise, deadline: deadline))
        context.write(wrapOutboundOut(request.payload), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = unwrapInboundIn(data)
        guard let head = waiting.first else {
            // A reply nobody asked for: the stream is out of step.
            failAll(context: context, reason: .protocolViolation("reply without a request"))
            return
        }
        if headReplies.isEmpty {
            headReplies.reserveCapacity(head.expectedReplies)
        }
        headReplies.append(value)
        if headReplies.count == head.expectedReplies {
            waiting.removeFirst()
            head.deadline?.cancel()
            let replies = headReplies
            headReplies = []
            head.promise.succeed(replies)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(context: context, reason: .connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let reason = (error as? RedisError) ?? .connectionFailed("\(error)")
        failAll(context: context, reason: reason)
    }

    /// Fails every waiting request with `reason`, except the one whose deadline
    /// passed, which learns it timed out.
    private func failAll(context: ChannelHandlerContext, reason: RedisError, timedOut: UInt64? = nil) {
        let pending = waiting
        waiting.removeAll()
        headReplies = []
        if closedReason == nil {
            closedReason = .connectionClosed
            context.close(promise: nil)
        }
        for entry in pending {
            entry.deadline?.cancel()
            entry.promise.fail(entry.number == timedOut ? RedisError.timeout : reason)
        }
    }
}
