package dev.oauthlet.benchmarks;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A request and a response for calling a {@link dev.oauthlet.servlet.BearerTokenFilter} in process,
 * without a container: only what the filter reads is served, anything else throws, so a benchmark
 * times the filter and not a container's request object.
 */
final class InProcessRequests {

    /** A filter's configuration without init-params or servlet context. */
    static final FilterConfig NO_INIT_PARAMS = new NoInitParams();

    private InProcessRequests() {
    }

    /** A response the filter may hand on but not write to. */
    static HttpServletResponse response() {
        return new HttpServletResponseWrapper(unsupported(HttpServletResponse.class));
    }

    private static <T> T unsupported(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            throw new UnsupportedOperationException(method.getName());
        }));
    }

    /** A GET with {@code Authorization: Bearer}; only what the filter reads is served, from fields. */
    static final class Bearer extends HttpServletRequestWrapper {
        private final List<String> authorization;
        private final Map<String, Object> attributes = new HashMap<>();

        Bearer(String token) {
            super(unsupported(HttpServletRequest.class));
            this.authorization = List.of("Bearer " + token);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return "Authorization".equalsIgnoreCase(name) ? Collections.enumeration(authorization) : Collections.emptyEnumeration();
        }

        @Override
        public String getHeader(String name) {
            return "Authorization".equalsIgnoreCase(name) ? authorization.get(0) : null;
        }

        @Override
        public String getMethod() {
            return "GET";
        }

        @Override
        public String getServletPath() {
            return "/api/orders";
        }

        @Override
        public String getPathInfo() {
            return null;
        }

        @Override
        public String getRequestURI() {
            return "/api/orders";
        }

        @Override
        public String getQueryString() {
            return null;
        }

        @Override
        public String getContentType() {
            return null;
        }

        @Override
        public void setAttribute(String name, Object value) {
            attributes.put(name, value);
        }

        @Override
        public Object getAttribute(String name) {
            return attributes.get(name);
        }
    }

    private static final class NoInitParams implements FilterConfig {
        @Override
        public String getFilterName() {
            return "bench";
        }

        @Override
        public ServletContext getServletContext() {
            return null;
        }

        @Override
        public String getInitParameter(String name) {
            return null;
        }

        @Override
        public Enumeration<String> getInitParameterNames() {
            return Collections.emptyEnumeration();
        }
    }
}
