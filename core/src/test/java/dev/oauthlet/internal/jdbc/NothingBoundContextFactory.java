package dev.oauthlet.internal.jdbc;

import java.lang.reflect.Proxy;
import java.util.Hashtable;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.spi.InitialContextFactory;

/**
 * A naming context in which nothing is bound, as Jetty's {@code java:comp/env} is for a resource
 * the web.xml does not reference: every lookup ends as Jetty's does ("jdbc is not bound").
 */
public final class NothingBoundContextFactory implements InitialContextFactory {

    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "lookup" -> throw new NameNotFoundException("jdbc is not bound");
                case "close" -> {
                    return null;
                }
                default -> throw new UnsupportedOperationException(method.getName());
            }
        });
    }
}
