package io.cdnodes.protocol.codec;

/** A payload that does not parse; the decoder turns it into a {@link Violation}. Never escapes the codec. */
final class MalformedPayloadException extends Exception {

    private static final long serialVersionUID = 1L;

    MalformedPayloadException(String message) {
        super(message, null, false, false);
    }
}
