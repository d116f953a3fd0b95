package dev.oauthlet.user;

import java.util.Objects;

/** A tenant a user belongs to, such as {@code merchant/someMerchant}. */
public record Tenant(String type, String id) {

    /** The request parameter, and token claim, naming the tenant's type. */
    public static final String TYPE_PARAMETER = "tenantType";
    /** The request parameter, and token claim, naming the tenant. */
    public static final String ID_PARAMETER = "tenantId";

    public Tenant {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }
}
