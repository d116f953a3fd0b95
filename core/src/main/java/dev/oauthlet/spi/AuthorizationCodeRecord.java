package dev.oauthlet.spi;

import dev.oauthlet.user.SignInContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An authorization code as stored: only its hash.
 *
 * @param hash                 SHA-256 of the code, base64url
 * @param clientId             the client it was issued to
 * @param subject              the user who authorized it
 * @param redirectUri          the redirect URI of the authorization request ({@code null} if it was omitted)
 * @param scopes               the scopes granted
 * @param codeChallenge        the PKCE challenge; {@code null} without PKCE
 * @param codeChallengeMethod  {@code S256} or {@code plain}; {@code null} without PKCE
 * @param claims               user claims for the tokens
 * @param expiresAt            when it stops working
 * @param familyId             the refresh-token family issued from it, once redeemed; revoked on a second use
 * @param audiences            the RFC 8707 resources granted, in the order asked; empty: the client's default audience
 * @param dpopJkt              the DPoP key thumbprint the authorization request named ({@code dpop_jkt}, RFC 9449 §10): the code
 *                             is exchanged only with a proof of that key; {@code null} when unbound
 * @param authTime             when the user signed in (OpenID Connect {@code auth_time}); {@code null} when not recorded
 * @param nonce                the authorization request's {@code nonce}, echoed by the ID token; {@code null} without one
 * @param signIn               how the user signed in (the ID token's {@code acr} and {@code amr}); {@code null} takes
 *                             {@link SignInContext#UNKNOWN}
 */
public record AuthorizationCodeRecord(
        String hash,
        String clientId,
        String subject,
        String redirectUri,
        Set<String> scopes,
        String codeChallenge,
        String codeChallengeMethod,
        Map<String, String> claims,
        Instant expiresAt,
        String familyId,
        List<String> audiences,
        String dpopJkt,
        Instant authTime,
        String nonce,
        SignInContext signIn) {

    public AuthorizationCodeRecord {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(subject, "subject");
        scopes = dev.oauthlet.protocol.Scopes.ordered(scopes);
        claims = Map.copyOf(claims);
        Objects.requireNonNull(expiresAt, "expiresAt");
        audiences = audiences == null ? List.of() : List.copyOf(audiences);
        signIn = signIn == null ? SignInContext.UNKNOWN : signIn;
    }

    /** A code without the sign-in's methods. */
    public AuthorizationCodeRecord(String hash, String clientId, String subject, String redirectUri, Set<String> scopes,
                                   String codeChallenge, String codeChallengeMethod, Map<String, String> claims, Instant expiresAt,
                                   String familyId, List<String> audiences, String dpopJkt, Instant authTime, String nonce) {
        this(hash, clientId, subject, redirectUri, scopes, codeChallenge, codeChallengeMethod, claims, expiresAt, familyId, audiences,
                dpopJkt, authTime, nonce, null);
    }

    /** A code without OpenID Connect's sign-in time and nonce. */
    public AuthorizationCodeRecord(String hash, String clientId, String subject, String redirectUri, Set<String> scopes,
                                   String codeChallenge, String codeChallengeMethod, Map<String, String> claims, Instant expiresAt,
                                   String familyId, List<String> audiences, String dpopJkt) {
        this(hash, clientId, subject, redirectUri, scopes, codeChallenge, codeChallengeMethod, claims, expiresAt, familyId, audiences,
                dpopJkt, null, null);
    }

    /** This code with the refresh family its first redemption yielded. */
    public AuthorizationCodeRecord withFamily(String newFamilyId) {
        return new AuthorizationCodeRecord(hash, clientId, subject, redirectUri, scopes, codeChallenge, codeChallengeMethod, claims,
                expiresAt, newFamilyId, audiences, dpopJkt, authTime, nonce, signIn);
    }

    /** A code for the client's default audience. */
    public AuthorizationCodeRecord(String hash, String clientId, String subject, String redirectUri, Set<String> scopes,
                                   String codeChallenge, String codeChallengeMethod, Map<String, String> claims, Instant expiresAt,
                                   String familyId) {
        this(hash, clientId, subject, redirectUri, scopes, codeChallenge, codeChallengeMethod, claims, expiresAt, familyId, List.of(),
                null);
    }

    /** A code not bound to a DPoP key. */
    public AuthorizationCodeRecord(String hash, String clientId, String subject, String redirectUri, Set<String> scopes,
                                   String codeChallenge, String codeChallengeMethod, Map<String, String> claims, Instant expiresAt,
                                   String familyId, List<String> audiences) {
        this(hash, clientId, subject, redirectUri, scopes, codeChallenge, codeChallengeMethod, claims, expiresAt, familyId, audiences,
                null);
    }
}
