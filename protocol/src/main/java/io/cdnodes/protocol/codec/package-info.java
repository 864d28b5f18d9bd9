/**
 * CDProto framing: the byte layout of frames, an incremental {@link io.cdnodes.protocol.codec.FrameDecoder}
 * that turns any split of the input into frames or into one {@link io.cdnodes.protocol.codec.Violation},
 * and a {@link io.cdnodes.protocol.codec.FrameEncoder}. Every limit is a {@link io.cdnodes.protocol.codec.CodecLimits}
 * value with a default. No sockets, no threads, no logging.
 */
package io.cdnodes.protocol.codec;
