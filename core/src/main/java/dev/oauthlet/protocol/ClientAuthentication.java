package dev.oauthlet.protocol;

import java.util.Objects;

/** How a token request authenticated its client; exactly one method per request. */
public sealed interface ClientAuthentication {

    /** The {@code client_id} this method names, or {@code null}. */
    String clientId();

    /** {@code client_secret_basic}: HTTP Basic with the form-urlencoded id and secret (RFC 6749 §2.3.1). */
    record Basic(String clientId, String secret) implements ClientAuthentication {
        public Basic {
            Objects.requireNonNull(clientId);
            Objects.requireNonNull(secret);
        }

        @Override
        public String toString() {
            return "Basic[" + clientId + "]";
        }
    }

    /** {@code client_secret_post}: id and secret among the request parameters. */
    record Post(String clientId, String secret) implements ClientAuthentication {
        public Post {
            Objects.requireNonNull(clientId);
            Objects.requireNonNull(secret);
        }

        @Override
        public String toString() {
            return "Post[" + clientId + "]";
        }
    }

    /** A {@code client_id} with no secret: only public clients authenticate this way. */
    record PublicClient(String clientId) implements ClientAuthentication {
        public PublicClient {
            Objects.requireNonNull(clientId);
        }
    }

    /**
     * An access token in {@code Authorization: Bearer}, for APIs whose refresh is authenticated by
     * the genuine but expired access token of the client.
     *
     * @param accessToken the token
     * @param clientId    a {@code client_id} sent alongside, which must be the token's; {@code null} when absent
     */
    record ExpiredBearer(String accessToken, String clientId) implements ClientAuthentication {
        public ExpiredBearer {
            Objects.requireNonNull(accessToken);
        }

        @Override
        public String toString() {
            return "ExpiredBearer[***]";
        }
    }

    /**
     * A JWT assertion ({@code client_assertion}, RFC 7523 §2.2): {@code private_key_jwt} or
     * {@code client_secret_jwt}, as the client is registered.
     *
     * @param clientId  the {@code client_id} sent alongside, which must be the assertion's; {@code null} when absent
     * @param assertion the JWT
     */
    record JwtAssertion(String clientId, String assertion) implements ClientAuthentication {
        public JwtAssertion {
            Objects.requireNonNull(assertion);
        }

        @Override
        public String toString() {
            return "JwtAssertion[" + clientId + "]";
        }
    }

    /** No client authentication at all. */
    record None() implements ClientAuthentication {
        @Override
        public String clientId() {
            return null;
        }
    }
}
