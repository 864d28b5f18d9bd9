package io.cdnodes.agent.link;

import io.cdnodes.protocol.codec.Violation;
import java.io.IOException;

/** The coordinator sent bytes or frames this side cannot accept; the connection is closed. */
public final class ProtocolException extends IOException {

    private static final long serialVersionUID = 1L;
    private final transient Violation violation;

    public ProtocolException(Violation violation) {
        super(violation.code() + ": " + violation.message());
        this.violation = violation;
    }

    public Violation violation() {
        return violation;
    }
}
