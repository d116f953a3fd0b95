package dev.oauthlet.spi;

/**
 * The store could not be reached or did not answer in time. The token endpoint answers it with
 * {@code 503 temporarily_unavailable}; no token is issued that was not stored.
 */
public class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
