package dev.oauthlet.client;

/**
 * Where a client or user record came from. Records declared in the configuration file belong to
 * the file: it adds, changes and removes them at start-up, and the administration API refuses to
 * touch them. Everything else lives only in the store.
 */
public enum Origin {
    /** Declared in the configuration file ({@code clients:} or {@code users:}). */
    FILE,
    /** Created through the administration API: the command line or an embedding application. */
    ADMIN,
    /** Created by a client itself through dynamic client registration (RFC 7591). */
    REGISTRATION
}
