package io.cdnodes.agent.link;

import io.cdnodes.protocol.codec.CodecLimits;
import io.cdnodes.protocol.codec.FrameEncoder;
import io.cdnodes.protocol.codec.Wire;
import io.cdnodes.protocol.frame.Hello;
import java.util.List;
import java.util.function.Function;

/**
 * Keeps a HELLO within what a coordinator accepts before a worker has authenticated
 * ({@link CodecLimits#DEFAULT_MAX_HELLO_BYTES}) by announcing fewer cached packages: the least recently used are
 * left out. A package left out is only sent again if it is needed; the worker still has it.
 */
public final class HelloSize {

    private static final FrameEncoder ENCODER = new FrameEncoder();

    private HelloSize() {
    }

    /**
     * The HELLO {@code make} builds from as many of {@code cached} as fit, the last ones kept.
     *
     * @param cached the ids, least recently used first (as {@code PackageCache.ids()} gives them)
     * @param make   builds the HELLO announcing the given ids
     */
    public static Hello fit(List<String> cached, Function<List<String>, Hello> make, int maxPayloadBytes) {
        int from = 0;
        Hello hello = make.apply(cached);
        int size = payloadBytes(hello);
        while (size > maxPayloadBytes && from < cached.size()) {
            // every pkgid costs the same (a u32 length and 64 digits): drop as many as the excess needs at once
            int each = 4 + cached.get(from).length();
            from = Math.min(cached.size(), from + Math.max(1, (size - maxPayloadBytes + each - 1) / each));
            hello = make.apply(cached.subList(from, cached.size()));
            size = payloadBytes(hello);
        }
        return hello;
    }

    /** The HELLO that fits the protocol's limit for it. */
    public static Hello fit(List<String> cached, Function<List<String>, Hello> make) {
        return fit(cached, make, CodecLimits.DEFAULT_MAX_HELLO_BYTES);
    }

    static int payloadBytes(Hello hello) {
        return ENCODER.encode(hello).length - Wire.HEADER_BYTES;
    }
}
