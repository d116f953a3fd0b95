package dev.oauthlet.storage.tck;

import dev.oauthlet.spi.Storage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

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
 * Each store's part lives in its own contract interface, whose tests are default methods: they
 * become the subclass's own test methods, so Surefire reports every one of them under the
 * subclass (one {@code Tests run:} line with all of them), and the reports of two stores never mix.
 * Instants in the fixtures are whole milliseconds: the contract promises no finer precision.
 */
public abstract class StorageContract implements ClientStoreContract, UserStoreContract, RefreshTokenStoreContract,
        AuthorizationCodeStoreContract, ConsentStoreContract, SigningKeyStoreContract, RevokedTokenStoreContract,
        FailureCounterStoreContract, UsedJtiStoreContract {

    private Storage storage;

    /** A new storage holding nothing; it is closed after each test. */
    protected abstract Storage openEmptyStorage();

    /** The storage of the test that runs, opened by {@link #openEmptyStorage()}. */
    @Override
    public final Storage storage() {
        return storage;
    }

    @BeforeEach
    void openStorage() {
        storage = openEmptyStorage();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }
}
