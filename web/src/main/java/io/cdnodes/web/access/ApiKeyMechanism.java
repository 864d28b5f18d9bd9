package io.cdnodes.web.access;

import io.cdnodes.web.problem.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Authenticates every request of the war by its {@code Authorization: Bearer <key>} header, without a session:
 * a valid key logs the caller in for this request only. A browser opening the war's root without a key is sent to
 * the dashboard ({@code /evaluations}). Where web.xml requires a role (every path of the API), a
 * request without a valid key is answered here with {@code 401} problem+json and {@code WWW-Authenticate:
 * Bearer}; the answer does not say whether a key exists, only whether the header had the right shape.
 */
@ApplicationScoped
public class ApiKeyMechanism implements HttpAuthenticationMechanism {

    @Inject
    private IdentityStoreHandler identityStores;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        BearerHeader header = BearerHeader.parse(request.getHeader("Authorization"));
        if (header instanceof BearerHeader.Token token) {
            CredentialValidationResult result = identityStores.validate(new ApiKeyCredential(token.value()));
            if (result.getStatus() == CredentialValidationResult.Status.VALID) {
                return context.notifyContainerAboutLogin(result);
            }
        }
        if (!context.isProtected()) {
            return context.doNothing();
        }
        if (header instanceof BearerHeader.Missing && isRoot(request)
                && ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))) {
            // a browser opening the address: the dashboard, whose paths web.xml leaves open (the root itself
            // cannot be: Payara applies no constraint to web.xml's "" pattern, so "/*" covers it)
            try {
                response.sendRedirect(request.getContextPath() + "/evaluations");
            } catch (IOException e) {
                // the client went away: nothing to answer
            }
            return AuthenticationStatus.SEND_CONTINUE;
        }
        return refuse(response, header);
    }

    private static boolean isRoot(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return uri.equals(request.getContextPath()) || uri.equals(request.getContextPath() + "/");
    }

    private static AuthenticationStatus refuse(HttpServletResponse response, BearerHeader header) {
        String detail;
        String challenge;
        if (header instanceof BearerHeader.Missing) {
            detail = "this request needs an API key: send 'Authorization: Bearer <key>'";
            challenge = "Bearer realm=\"cdnodes\"";
        } else if (header instanceof BearerHeader.Malformed) {
            detail = "the Authorization header must be 'Bearer <key>'";
            challenge = "Bearer realm=\"cdnodes\", error=\"invalid_request\"";
        } else {
            detail = "the API key is not valid (unknown, revoked or mistyped)";
            challenge = "Bearer realm=\"cdnodes\", error=\"invalid_token\"";
        }
        try {
            byte[] body = new Problem("unauthorized", "An API key is needed", 401, detail, null).json()
                    .getBytes(StandardCharsets.UTF_8);
            response.setStatus(401);
            response.setHeader("WWW-Authenticate", challenge);
            response.setContentType(Problem.TYPE.toString());
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            response.flushBuffer();
        } catch (IOException e) {
            // the client went away: nothing to answer
        }
        return AuthenticationStatus.SEND_FAILURE;
    }
}
