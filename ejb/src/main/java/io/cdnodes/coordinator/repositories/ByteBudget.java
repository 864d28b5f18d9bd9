package io.cdnodes.coordinator.repositories;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes one fetch may receive, counted as they arrive over all of its connections: the transfer fails
 * as soon as the count passes the limit, not after the fact. Thread-safe.
 */
final class ByteBudget {

    /** A fetch that received more than its limit. */
    static final class Exceeded extends IOException {
        private static final long serialVersionUID = 1L;

        Exceeded(long limit) {
            super("more than " + limit + " bytes received");
        }
    }

    private final long limit;
    private final AtomicLong received = new AtomicLong();

    ByteBudget(long limit) {
        this.limit = limit;
    }

    long limit() {
        return limit;
    }

    long received() {
        return received.get();
    }

    /** Counts {@code n} more bytes received. */
    void spend(long n) throws Exceeded {
        if (received.addAndGet(n) > limit) {
            throw new Exceeded(limit);
        }
    }

    /** The stream, counted against this budget as it is read. */
    InputStream counted(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    spend(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n > 0) {
                    spend(n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = super.skip(n);
                if (skipped > 0) {
                    spend(skipped);
                }
                return skipped;
            }
        };
    }
}
