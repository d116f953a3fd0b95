package dev.oauthlet.spi;

import java.util.Set;

/** Scopes a user has consented to, per client. */
public interface ConsentStore {

    /** The scopes {@code subject} granted {@code clientId}; empty when none. */
    Set<String> find(String subject, String clientId);

    /** Replaces the consent of {@code subject} for {@code clientId}. */
    void save(String subject, String clientId, Set<String> scopes);

    void revoke(String subject, String clientId);
}
