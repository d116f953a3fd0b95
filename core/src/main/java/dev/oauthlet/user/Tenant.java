package dev.oauthlet.user;

import java.util.Objects;

/** A tenant a user belongs to, such as {@code merchant/someMerchant}. */
public record Tenant(String type, String id) {
    public Tenant {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }
}
