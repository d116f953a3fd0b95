package dev.oauthlet.config;

import dev.oauthlet.error.OauthletException;

/**
 * A configuration that cannot be used. The message names the file, the key path and the fix,
 * e.g. {@code oauthlet.yml: clients[2].grants[0]: unknown grant 'pasword' (known: ...)}.
 */
public class ConfigException extends OauthletException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
