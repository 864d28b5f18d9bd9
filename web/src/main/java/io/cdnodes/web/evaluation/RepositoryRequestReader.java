package io.cdnodes.web.evaluation;

import io.cdnodes.coordinator.intake.IntakeException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Reads a {@link RepositoryRequest} body: at most {@link #MAX_BYTES}, then {@link JsonBodies} (strict JSON-B). Ours
 * rather than the server's JSON-B reader, for the size cap and for refusals that name the field and never quote
 * the body.
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
public class RepositoryRequestReader implements MessageBodyReader<RepositoryRequest> {

    /** 500 URLs of 2 KiB each, with room for the token and the options. */
    static final int MAX_BYTES = 2 * 1024 * 1024;

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == RepositoryRequest.class;
    }

    @Override
    public RepositoryRequest readFrom(Class<RepositoryRequest> type, Type genericType, Annotation[] annotations,
                                      MediaType mediaType, MultivaluedMap<String, String> httpHeaders,
                                      InputStream entityStream) throws IOException {
        byte[] bytes = entityStream.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw new IntakeException(IntakeException.Kind.TOO_LARGE, "the request body is larger than "
                    + MAX_BYTES / 1024 + " KiB");
        }
        return JsonBodies.read(bytes, RepositoryRequest.class, "the body");
    }
}
