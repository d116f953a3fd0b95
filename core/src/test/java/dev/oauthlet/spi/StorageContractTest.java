package dev.oauthlet.spi;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/**
 * The behaviour every {@link Storage} must show, whatever it is built on. A back end runs it by
 * extending this class and opening an empty storage; each store's part lives in its own contract
 * class, run here as a nested group against that storage.
 */
public abstract class StorageContractTest {

    private Storage storage;

    /** A new storage holding nothing; it is closed after each test. */
    protected abstract Storage openEmptyStorage();

    @BeforeEach
    void openStorage() {
        storage = openEmptyStorage();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }

    @Nested
    class Clients extends ClientStoreContract {
        @Override
        Storage storage() {
            return storage;
        }
    }

    @Nested
    class Users extends UserStoreContract {
        @Override
        Storage storage() {
            return storage;
        }
    }

    @Nested
    class RefreshTokens extends RefreshTokenStoreContract {
        @Override
        Storage storage() {
            return storage;
        }
    }

    @Nested
    class AuthorizationCodes extends AuthorizationCodeStoreContract {
        @Override
        Storage storage() {
            return storage;
        }
    }

    @Nested
    class Consents extends ConsentStoreContract {
        @Override
        Storage storage() {
            return storage;
        }
    }

    @Nested
    class SigningKeys extends SigningKeyStoreContract {
        @Override
        Storage storage() {
            return storage;
        }
    }

    @Nested
    class RevokedTokens extends RevokedTokenStoreContract {
        @Override
        Storage storage() {
            return storage;
        }
    }

    @Nested
    class FailureCounters extends FailureCounterStoreContract {
        @Override
        Storage storage() {
            return storage;
        }
    }

    @Nested
    class UsedJtis extends UsedJtiStoreContract {
        @Override
        Storage storage() {
            return storage;
        }
    }
}
