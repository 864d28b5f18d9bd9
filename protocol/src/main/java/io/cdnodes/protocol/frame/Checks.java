package io.cdnodes.protocol.frame;

import java.util.regex.Pattern;

/** Range checks shared by the frame records, so that no record can hold a value the wire cannot carry. */
final class Checks {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private Checks() {
    }

    static void u16(long value, String name) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(name + " must be in 0..65535: " + value);
        }
    }

    static void u32(long value, String name) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(name + " must be in 0..4294967295: " + value);
        }
    }

    static void finite(double value, String name) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number: " + value);
        }
    }

    static void packageId(String id) {
        if (id == null || !SHA256_HEX.matcher(id).matches()) {
            throw new IllegalArgumentException("packageId must be 64 lower-case hex digits");
        }
    }
}
