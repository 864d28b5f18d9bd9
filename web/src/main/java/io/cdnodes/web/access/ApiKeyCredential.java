package io.cdnodes.web.access;

import jakarta.security.enterprise.credential.Credential;

/** An API key presented with a request, on its way to {@link ApiKeyIdentityStore}. Never printed. */
public final class ApiKeyCredential implements Credential {

    private final String key;

    public ApiKeyCredential(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return "ApiKeyCredential[hidden]";
    }
}
