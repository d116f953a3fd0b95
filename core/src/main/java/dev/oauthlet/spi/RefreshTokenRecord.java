package dev.oauthlet.spi;

import dev.oauthlet.user.SignInContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A refresh token as stored: never the token itself, only its hash.
 *
 * @param hash            SHA-256 of the token, base64url
 * @param familyId        shared by a token and all its rotated successors; revoking it revokes them all
 * @param clientId        the client the token was issued to
 * @param subject         the {@code sub} of the access tokens it yields
 * @param scopes          the scopes granted
 * @param claims          user claims re-issued with every refreshed access token (tenant, ...)
 * @param issuedAt        when it was issued
 * @param expiresAt       when it stops working
 * @param state           active, rotated or revoked
 * @param rotatedAt       when it was rotated; {@code null} unless rotated
 * @param sealedSuccessor the successor token encrypted under a key derived from this token, so
 *                        that concurrent refreshes within the grace period get the same successor;
 *                        {@code null} unless rotated
 * @param audiences       the RFC 8707 resources of the grant, which its access tokens may narrow; empty: the
 *                        client's default audience
 * @param familyStartedAt when the family's first token was issued: no successor outlives it by more than
 *                        {@code tokens.refresh-token-max-lifetime}; {@code null} takes {@code issuedAt}
 * @param dpopJkt         the thumbprint of the DPoP key a refresh must prove (a public client's token, RFC 9449 §5);
 *                        {@code null} when unbound
 * @param authTime        when the user signed in for the grant this family continues (OpenID Connect {@code auth_time},
 *                        repeated in every refreshed ID token); {@code null} when not recorded
 * @param signIn          how the user signed in for that grant ({@code acr}, {@code amr} of every refreshed ID token);
 *                        {@code null} takes {@link SignInContext#UNKNOWN}
 */
public record RefreshTokenRecord(
        String hash,
        String familyId,
        String clientId,
        String subject,
        Set<String> scopes,
        Map<String, String> claims,
        Instant issuedAt,
        Instant expiresAt,
        State state,
        Instant rotatedAt,
        byte[] sealedSuccessor,
        List<String> audiences,
        Instant familyStartedAt,
        String dpopJkt,
        Instant authTime,
        SignInContext signIn) {

    public enum State { ACTIVE, ROTATED, REVOKED }

    public RefreshTokenRecord {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(subject, "subject");
        scopes = dev.oauthlet.protocol.Scopes.ordered(scopes);
        claims = Map.copyOf(claims);
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(state, "state");
        audiences = audiences == null ? List.of() : List.copyOf(audiences);
        familyStartedAt = familyStartedAt == null ? issuedAt : familyStartedAt;
        signIn = signIn == null ? SignInContext.UNKNOWN : signIn;
    }

    /** A token without the sign-in's methods. */
    public RefreshTokenRecord(String hash, String familyId, String clientId, String subject, Set<String> scopes,
                              Map<String, String> claims, Instant issuedAt, Instant expiresAt, State state, Instant rotatedAt,
                              byte[] sealedSuccessor, List<String> audiences, Instant familyStartedAt, String dpopJkt, Instant authTime) {
        this(hash, familyId, clientId, subject, scopes, claims, issuedAt, expiresAt, state, rotatedAt, sealedSuccessor, audiences,
                familyStartedAt, dpopJkt, authTime, null);
    }

    /** A token without a recorded sign-in time. */
    public RefreshTokenRecord(String hash, String familyId, String clientId, String subject, Set<String> scopes,
                              Map<String, String> claims, Instant issuedAt, Instant expiresAt, State state, Instant rotatedAt,
                              byte[] sealedSuccessor, List<String> audiences, Instant familyStartedAt, String dpopJkt) {
        this(hash, familyId, clientId, subject, scopes, claims, issuedAt, expiresAt, state, rotatedAt, sealedSuccessor, audiences,
                familyStartedAt, dpopJkt, null);
    }

    /** A token for the client's default audience, whose family starts with it. */
    public RefreshTokenRecord(String hash, String familyId, String clientId, String subject, Set<String> scopes,
                              Map<String, String> claims, Instant issuedAt, Instant expiresAt, State state, Instant rotatedAt,
                              byte[] sealedSuccessor) {
        this(hash, familyId, clientId, subject, scopes, claims, issuedAt, expiresAt, state, rotatedAt, sealedSuccessor, List.of(), null,
                null);
    }

    /** A token whose family starts with it. */
    public RefreshTokenRecord(String hash, String familyId, String clientId, String subject, Set<String> scopes,
                              Map<String, String> claims, Instant issuedAt, Instant expiresAt, State state, Instant rotatedAt,
                              byte[] sealedSuccessor, List<String> audiences) {
        this(hash, familyId, clientId, subject, scopes, claims, issuedAt, expiresAt, state, rotatedAt, sealedSuccessor, audiences, null,
                null);
    }

    /** A token not bound to a DPoP key. */
    public RefreshTokenRecord(String hash, String familyId, String clientId, String subject, Set<String> scopes,
                              Map<String, String> claims, Instant issuedAt, Instant expiresAt, State state, Instant rotatedAt,
                              byte[] sealedSuccessor, List<String> audiences, Instant familyStartedAt) {
        this(hash, familyId, clientId, subject, scopes, claims, issuedAt, expiresAt, state, rotatedAt, sealedSuccessor, audiences,
                familyStartedAt, null);
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** This record rotated at {@code at}, its sealed successor attached. */
    public RefreshTokenRecord rotated(Instant at, byte[] sealed) {
        return new RefreshTokenRecord(hash, familyId, clientId, subject, scopes, claims, issuedAt, expiresAt,
                State.ROTATED, at, sealed, audiences, familyStartedAt, dpopJkt, authTime, signIn);
    }

    /** This record revoked. */
    public RefreshTokenRecord revoked() {
        return new RefreshTokenRecord(hash, familyId, clientId, subject, scopes, claims, issuedAt, expiresAt,
                State.REVOKED, rotatedAt, sealedSuccessor, audiences, familyStartedAt, dpopJkt, authTime, signIn);
    }
}
