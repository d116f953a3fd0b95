package dev.oauthlet.storage.tck;

import dev.oauthlet.spi.Storage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/**
 * The behaviour every {@link Storage} must show, whatever it is built on: Oauthlet's own memory,
 * H2 and PostgreSQL stores run it, and so does a third-party {@link dev.oauthlet.spi.StorageProvider}.
 * A back end runs all of it with one subclass in its tests that opens an empty storage:
 *
 * <pre>{@code
 * class RedisStorageContractTest extends StorageContract {
 *     @Override
 *     protected Storage openEmptyStorage() {
 *         return new RedisStorage(...);   // a storage holding nothing; closed after each test
 *     }
 * }
 * }</pre>
 *
 * Each store's part lives in its own contract class, run here as a {@link Nested} group against
 * that storage; Surefire (JUnit Platform) counts every one of their tests under the subclass.
 * Instants in the fixtures are whole milliseconds: the contract promises no finer precision.
 */
public abstract class StorageContract {

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
