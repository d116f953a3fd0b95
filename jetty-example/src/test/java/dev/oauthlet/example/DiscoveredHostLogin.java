package dev.oauthlet.example;

import dev.oauthlet.authorize.HostContext;
import dev.oauthlet.authorize.HostLogin;

/**
 * A {@link HostLogin} found through {@code META-INF/services}, used only where a configuration says
 * {@code authorization.host-login: application}: it sends every browser to a fixed login page.
 */
public final class DiscoveredHostLogin implements HostLogin {

    @Override
    public Answer authenticate(HostContext context) {
        return HostLogin.sendTo("/discovered-login?return=" + java.net.URLEncoder.encode(context.returnTo(),
                java.nio.charset.StandardCharsets.UTF_8));
    }
}
