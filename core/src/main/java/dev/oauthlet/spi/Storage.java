package dev.oauthlet.spi;

/** Every store one storage back end provides. Closing it releases connections. */
public interface Storage extends AutoCloseable {

    ClientStore clients();

    UserStore users();

    RefreshTokenStore refreshTokens();

    AuthorizationCodeStore authorizationCodes();

    ConsentStore consents();

    SigningKeyStore signingKeys();

    RevokedTokenStore revokedTokens();

    FailureCounterStore failureCounters();

    /** The {@code jti}s of DPoP proofs and client assertions seen recently. */
    UsedJtiStore usedJtis();

    @Override
    void close();
}
