package dev.oauthlet.dpop;

import java.time.Instant;
import java.util.Objects;

/**
 * A DPoP proof (RFC 9449 §4.2) that {@link DpopProofVerifier} has checked: its signature verifies
 * with the public key in its own header, and that key's thumbprint is what a token bound to it
 * carries as {@code cnf.jkt}.
 *
 * @param jkt      the RFC 7638 SHA-256 thumbprint of the proof's key, base64url
 * @param jti      the proof's unique identifier
 * @param htm      the HTTP method it was made for
 * @param htu      the HTTP URI it was made for, as sent
 * @param issuedAt its {@code iat}
 * @param ath      the {@code ath} claim (hash of the access token it accompanies), or {@code null}
 * @param nonce    the server nonce it carries, or {@code null}
 */
public record DpopProof(String jkt, String jti, String htm, String htu, Instant issuedAt, String ath, String nonce) {

    public DpopProof {
        Objects.requireNonNull(jkt, "jkt");
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(htm, "htm");
        Objects.requireNonNull(htu, "htu");
        Objects.requireNonNull(issuedAt, "issuedAt");
    }
}
