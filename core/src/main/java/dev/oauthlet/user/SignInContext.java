package dev.oauthlet.user;

import java.util.ArrayList;
import java.util.List;

/**
 * How the user signed in, as OpenID Connect's ID token says it (Core 1.0 §2): {@code acr}, the
 * authentication context class reference, and {@code amr}, the methods used (RFC 8176 values such
 * as {@code pwd}, {@code otp}, {@code hwk}, {@code mfa}). Oauthlet's login page signs in with
 * {@link #password()}; a {@link dev.oauthlet.authorize.HostLogin} and a
 * {@link dev.oauthlet.authorize.SecondFactor} may declare their own. It travels with the code and
 * the refresh-token family, so every ID token of a grant names the original sign-in.
 *
 * @param acr the class reference; {@code null} lets Oauthlet derive one from {@code amr} ({@link #acrOrDerived()})
 * @param amr the methods, in the order used; empty when unknown
 */
public record SignInContext(String acr, List<String> amr) {

    /** Oauthlet's class for a sign-in with one kind of factor (a password, say). */
    public static final String ACR_ONE_FACTOR = "1";
    /** Oauthlet's class for a sign-in with more than one kind of factor ({@code amr} holds {@code mfa}). */
    public static final String ACR_MULTI_FACTOR = "2";
    /** Nothing is known about how the user signed in: the ID token carries neither {@code acr} nor {@code amr}. */
    public static final SignInContext UNKNOWN = new SignInContext(null, List.of());

    public SignInContext {
        if (acr != null && (acr.isEmpty() || acr.length() > 200 || !token(acr))) {
            throw new IllegalArgumentException("acr: 1 to 200 printable characters without spaces");
        }
        amr = amr == null ? List.of() : List.copyOf(amr);
        for (String m : amr) {
            if (m == null || m.isEmpty() || m.length() > 50 || !token(m)) {
                throw new IllegalArgumentException("amr: each method 1 to 50 printable characters without spaces, such as pwd or otp");
            }
        }
        if (amr.stream().distinct().count() != amr.size()) {
            throw new IllegalArgumentException("amr: a method is listed twice");
        }
    }

    /** A sign-in with a password, as on Oauthlet's login page: {@code amr: ["pwd"]}. */
    public static SignInContext password() {
        return new SignInContext(null, List.of("pwd"));
    }

    /** A sign-in by these methods (RFC 8176 values), the class derived from them. */
    public static SignInContext methods(String... amr) {
        return new SignInContext(null, List.of(amr));
    }

    /** This sign-in with {@code acr} as its class reference. */
    public SignInContext withAcr(String newAcr) {
        return new SignInContext(newAcr, amr);
    }

    /**
     * This sign-in followed by {@code step} (a second factor): the methods of both, {@code mfa}
     * added when each contributed one; the step's class reference when it declares one.
     */
    public SignInContext then(SignInContext step) {
        List<String> all = new ArrayList<>(amr);
        step.amr.stream().filter(m -> !all.contains(m)).forEach(all::add);
        boolean multi = amr.stream().anyMatch(m -> !m.equals("mfa")) && step.amr.stream().anyMatch(m -> !amr.contains(m) && !m.equals("mfa"));
        if (multi && !all.contains("mfa")) {
            all.add("mfa");
        }
        return new SignInContext(step.acr != null ? step.acr : acr, all);
    }

    /**
     * The {@code acr} of the ID token: the declared one, else {@link #ACR_MULTI_FACTOR} when
     * {@code amr} holds {@code mfa}, {@link #ACR_ONE_FACTOR} when it holds any other method, and
     * {@code null} (no claim) when nothing is known.
     */
    public String acrOrDerived() {
        if (acr != null) {
            return acr;
        }
        if (amr.isEmpty()) {
            return null;
        }
        return amr.contains("mfa") ? ACR_MULTI_FACTOR : ACR_ONE_FACTOR;
    }

    /** {@code amr} as stored: the methods separated by spaces; {@code null} when there are none. */
    public String amrText() {
        return amr.isEmpty() ? null : String.join(" ", amr);
    }

    /** The context as stored ({@link #amrText()}); {@link #UNKNOWN} for two {@code null}s. */
    public static SignInContext stored(String acr, String amrText) {
        return new SignInContext(acr, amrText == null || amrText.isBlank() ? List.of() : List.of(amrText.trim().split(" +")));
    }

    private static boolean token(String s) {
        return s.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }
}
