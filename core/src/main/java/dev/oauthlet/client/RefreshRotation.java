package dev.oauthlet.client;

/** What a refresh does to the refresh token it was given. */
public enum RefreshRotation {
    /** Each refresh returns a new refresh token; the presented one stops working. */
    ROTATE,
    /** The refresh token stays valid; the response carries only a new access token. */
    KEEP;

    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
