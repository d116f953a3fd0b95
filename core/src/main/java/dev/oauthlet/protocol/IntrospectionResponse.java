package dev.oauthlet.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 7662 introspection response.
 *
 * @param active  whether the token is active: issued here, unexpired and unrevoked
 * @param members the other members ({@code scope}, {@code client_id}, {@code sub}, {@code exp}, ...); empty when inactive
 */
public record IntrospectionResponse(boolean active, Map<String, Object> members) {

    private static final IntrospectionResponse INACTIVE = new IntrospectionResponse(false, Map.of());

    public IntrospectionResponse {
        // An inactive answer says nothing more (RFC 7662 §2.2): not even why.
        members = active ? java.util.Collections.unmodifiableMap(new LinkedHashMap<>(members)) : Map.of();
    }

    /** {@code {"active": false}}: for unknown, expired and revoked tokens alike. */
    public static IntrospectionResponse inactive() {
        return INACTIVE;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("active", active);
        m.putAll(members);
        return m;
    }

    public String toJson() {
        return Json.write(toMap());
    }

    @Override
    public String toString() {
        return "IntrospectionResponse[active=" + active + ", members=" + members.keySet() + "]";
    }
}
