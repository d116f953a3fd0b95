package dev.oauthlet.admin;

import dev.oauthlet.error.OauthletException;

/** An administrative operation that was refused; the message says why and, where it can, what to do. */
public final class AdminException extends OauthletException {

    /** Why an operation was refused. */
    public enum Reason {
        /** No client, user or key with that name. */
        NOT_FOUND,
        /** A client or user with that name exists already. */
        ALREADY_EXISTS,
        /** The configuration file declares it; change it there. */
        DECLARED_IN_FILE,
        /** The request itself is wrong: an unknown grant or audience, a bad redirect URI, ... */
        INVALID,
        /** This server cannot do it, e.g. rotate keys that come from a key file. */
        UNSUPPORTED
    }

    private final Reason reason;

    public AdminException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
