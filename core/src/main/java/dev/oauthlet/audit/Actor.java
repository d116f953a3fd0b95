package dev.oauthlet.audit;

/** Who made a change to clients, users or keys, as audit events name it. */
public enum Actor {
    /** The configuration file, applied at start-up. */
    FILE,
    /** The command line. */
    CLI,
    /** An embedding application through {@link dev.oauthlet.admin.Administration}. */
    API,
    /** A client through dynamic client registration (RFC 7591 / 7592). */
    REGISTRATION,
    /** The server itself: scheduled key rotation, the protection against refresh-token reuse. */
    SERVER
}
